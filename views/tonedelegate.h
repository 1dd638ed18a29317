// Paints a model's items::Tone role as text colour (the models themselves
// stay free of QtGui). A delegate, not a proxy: the view keeps talking to
// the sort/filter model directly.
#pragma once

#include <QStyledItemDelegate>

namespace cse::views {

class ToneDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    ToneDelegate(int toneRole, QObject *parent = nullptr) : QStyledItemDelegate(parent), m_toneRole(toneRole) {}
    static QColor colour(int tone);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    int m_toneRole;
};

} // namespace cse::views
