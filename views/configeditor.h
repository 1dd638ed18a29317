// The server configuration editor: the vcdKeConfig entity as a form (the HA
// knobs) and as JSON, validated against the entity type's schema with the
// failing path shown before saving, saved with If-Match. A lost race is
// shown and offered for reload-and-merge (your changes on top of theirs).
#pragma once

#include "rde/definedentity.h"

#include <QJsonObject>
#include <QMap>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace cse::site {
class Site;
}

namespace cse::views {

// Three-way merge of JSON objects: every value `mine` changed relative to
// `base` is written into `theirs`.
QJsonObject mergeJson(const QJsonObject &base, const QJsonObject &mine, const QJsonObject &theirs);

class ConfigEditor : public QWidget
{
    Q_OBJECT
public:
    explicit ConfigEditor(site::Site *site, QWidget *parent = nullptr);

    // Parses and validates the JSON; the message names the failing path.
    bool validate(QJsonObject *out = nullptr);
    void save();
    void reloadAndMerge();
    bool isDirty() const { return m_dirty; }

private:
    void load(const rde::DefinedEntity &e);
    void formToJson();
    void jsonToForm();
    void setError(const QString &text);

    site::Site *m_site;
    rde::DefinedEntity m_base;
    QString notVisible() const;
    bool m_dirty = false;
    bool m_loading = false;
    QTabWidget *m_tabs;
    QMap<QString, QSpinBox *> m_knobs;
    QPlainTextEdit *m_json;
    QLabel *m_error;
    QPushButton *m_validate;
    QPushButton *m_save;
    QPushButton *m_reload;
    QPushButton *m_merge;
};

} // namespace cse::views
