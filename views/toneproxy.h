// Shows a model's items::Tone role as text colour (the models themselves
// stay free of QtGui).
#pragma once

#include <QIdentityProxyModel>

namespace cse::views {

class ToneProxy : public QIdentityProxyModel
{
    Q_OBJECT
public:
    ToneProxy(int toneRole, QObject *parent = nullptr) : QIdentityProxyModel(parent), m_toneRole(toneRole) {}
    QVariant data(const QModelIndex &index, int role) const override;
    static QColor colour(int tone);

private:
    int m_toneRole;
};

} // namespace cse::views
