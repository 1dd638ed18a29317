#include "configeditor.h"

#include "rde/json.h"
#include "rde/schemavalidator.h"
#include "rde/types.h"
#include "rde/vcdkeconfig.h"
#include "site/site.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

#include <cmath>

namespace cse::views {

QJsonObject mergeJson(const QJsonObject &base, const QJsonObject &mine, const QJsonObject &theirs)
{
    QJsonObject out = theirs;
    for (auto it = mine.begin(); it != mine.end(); ++it) {
        const QJsonValue b = base.value(it.key());
        if (b == it.value())
            continue;
        if (it.value().isObject() && b.isObject() && theirs.value(it.key()).isObject())
            out.insert(it.key(), mergeJson(b.toObject(), it.value().toObject(), theirs.value(it.key()).toObject()));
        else if (it.value().isArray() && b.isArray() && theirs.value(it.key()).isArray()
                 && it.value().toArray().size() == b.toArray().size()
                 && theirs.value(it.key()).toArray().size() == b.toArray().size()) {
            QJsonArray merged = theirs.value(it.key()).toArray();
            const QJsonArray mb = b.toArray(), mm = it.value().toArray();
            for (int i = 0; i < mm.size(); ++i) {
                if (mm.at(i) == mb.at(i))
                    continue;
                if (mm.at(i).isObject() && mb.at(i).isObject() && merged.at(i).isObject())
                    merged[i] = mergeJson(mb.at(i).toObject(), mm.at(i).toObject(), merged.at(i).toObject());
                else
                    merged[i] = mm.at(i);
            }
            out.insert(it.key(), merged);
        } else
            out.insert(it.key(), it.value());
    }
    for (auto it = base.begin(); it != base.end(); ++it)
        if (!mine.contains(it.key()))
            out.remove(it.key()); // deleted by me
    return out;
}

namespace {
struct Knob
{
    const char *key;
    int min;
    int max;
};
const Knob kKnobs[] = {{"leaseSeconds", 0, 3600},     {"renewSeconds", 0, 3600},          {"pollSeconds", 0, 3600},
                       {"workersPerReplica", 0, 1000}, {"autoRepairMaxAttempts", 0, 1000}, {"autoRepairBackoffSeconds", 0, 86400}};
const QStringList kServerConfig{QStringLiteral("profiles"), QStringLiteral("0"), QStringLiteral("serverConfig")};
} // namespace

ConfigEditor::ConfigEditor(site::Site *site, QWidget *parent)
    : QWidget(parent), m_site(site)
{
    setObjectName(QStringLiteral("configEditor"));
    auto *layout = new QVBoxLayout(this);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("configTabs"));
    auto *formPage = new QWidget(m_tabs);
    auto *form = new QFormLayout(formPage);
    const QMap<QString, QString> labels{
        {QStringLiteral("leaseSeconds"), tr("&Lease (s):")},
        {QStringLiteral("renewSeconds"), tr("&Renew every (s):")},
        {QStringLiteral("pollSeconds"), tr("&Poll every (s):")},
        {QStringLiteral("workersPerReplica"), tr("&Workers per replica:")},
        {QStringLiteral("autoRepairMaxAttempts"), tr("Auto-repair &attempts:")},
        {QStringLiteral("autoRepairBackoffSeconds"), tr("Auto-repair &backoff (s):")}};
    for (const Knob &k : kKnobs) {
        auto *spin = new QSpinBox(formPage);
        const QString key = QLatin1String(k.key);
        spin->setObjectName(QStringLiteral("cfg_") + key);
        spin->setRange(k.min, k.max);
        form->addRow(labels.value(key), spin);
        m_knobs.insert(key, spin);
        connect(spin, &QSpinBox::valueChanged, this, [this] {
            if (!m_loading)
                formToJson();
        });
    }
    form->addRow(new QLabel(tr("Other settings are edited as JSON."), formPage));
    m_json = new QPlainTextEdit(m_tabs);
    m_json->setObjectName(QStringLiteral("configJson"));
    m_json->setAccessibleName(tr("Server configuration as JSON"));
    m_json->setLineWrapMode(QPlainTextEdit::NoWrap);
    connect(m_json, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_loading)
            m_dirty = true;
    });
    m_tabs->addTab(formPage, tr("Form"));
    m_tabs->addTab(m_json, tr("JSON"));
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int i) {
        if (i == 0)
            jsonToForm();
    });
    layout->addWidget(m_tabs, 1);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("configError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_error);
    auto *buttons = new QHBoxLayout;
    m_validate = new QPushButton(tr("&Validate"), this);
    m_validate->setObjectName(QStringLiteral("configValidate"));
    m_save = new QPushButton(tr("&Save"), this);
    m_save->setObjectName(QStringLiteral("configSave"));
    m_save->setShortcut(QKeySequence::Save);
    m_reload = new QPushButton(tr("&Discard and reload"), this);
    m_reload->setObjectName(QStringLiteral("configReload"));
    m_merge = new QPushButton(tr("Reload and &merge"), this);
    m_merge->setObjectName(QStringLiteral("configMerge"));
    m_merge->setVisible(false);
    buttons->addWidget(m_validate);
    buttons->addWidget(m_save);
    buttons->addWidget(m_reload);
    buttons->addWidget(m_merge);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    connect(m_validate, &QPushButton::clicked, this, [this] {
        if (validate())
            setError(tr("Valid against %1.").arg(m_base.entityType));
    });
    connect(m_save, &QPushButton::clicked, this, &ConfigEditor::save);
    connect(m_merge, &QPushButton::clicked, this, &ConfigEditor::reloadAndMerge);
    connect(m_reload, &QPushButton::clicked, this, [this] {
        m_dirty = false;
        if (m_site->config())
            load(*m_site->config());
        setError(QString());
    });
    connect(site, &site::Site::configChanged, this, [this] {
        if (!m_dirty && m_site->config())
            load(*m_site->config());
    });
    // "Not visible" only once a refresh of a live connection came without it.
    connect(site, &site::Site::refreshed, this, [this] {
        if (!m_site->config() && m_base.id.isEmpty())
            setError(notVisible());
    });
    if (site->config())
        load(*site->config());
}

QString ConfigEditor::notVisible() const
{
    return tr("The server configuration (vcdKeConfig) is not visible on this connection.");
}

void ConfigEditor::setError(const QString &text)
{
    m_error->setText(text);
}

void ConfigEditor::load(const rde::DefinedEntity &e)
{
    m_loading = true;
    m_base = e;
    m_json->setPlainText(QString::fromUtf8(QJsonDocument(e.entity).toJson(QJsonDocument::Indented)));
    m_loading = false;
    m_dirty = false;
    m_merge->setVisible(false);
    if (m_error->text() == notVisible())
        setError(QString());
    jsonToForm();
}

void ConfigEditor::jsonToForm()
{
    const QJsonDocument doc = QJsonDocument::fromJson(m_json->toPlainText().toUtf8());
    if (!doc.isObject())
        return;
    m_loading = true;
    const QJsonObject server = json::get(doc.object(), kServerConfig).toObject();
    const rde::HaSettings defaults;
    const QMap<QString, int> fallback{{QStringLiteral("leaseSeconds"), defaults.leaseSeconds},
                                      {QStringLiteral("renewSeconds"), defaults.renewSeconds},
                                      {QStringLiteral("pollSeconds"), defaults.pollSeconds},
                                      {QStringLiteral("workersPerReplica"), defaults.workersPerReplica},
                                      {QStringLiteral("autoRepairMaxAttempts"), defaults.autoRepairMaxAttempts},
                                      {QStringLiteral("autoRepairBackoffSeconds"), defaults.autoRepairBackoffSeconds}};
    // A value the form cannot show (not a whole number, out of range) is
    // flagged at its field: the form never silently shows something else.
    QStringList disagree;
    for (auto it = m_knobs.begin(); it != m_knobs.end(); ++it) {
        QSpinBox *spin = it.value();
        const QJsonValue v = server.value(it.key());
        const double d = v.toDouble();
        const bool ok = v.isUndefined() || (v.isDouble() && d == std::floor(d) && d >= spin->minimum() && d <= spin->maximum());
        spin->setValue(ok ? v.toInt(fallback.value(it.key())) : fallback.value(it.key()));
        const QString problem = ok ? QString()
                                   : tr("%1 in the JSON is %2, not a whole number within %3..%4; the form shows %5 until "
                                        "you fix it.").arg(it.key(), QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact)).mid(1).chopped(1).left(40))
                                         .arg(spin->minimum()).arg(spin->maximum()).arg(spin->value());
        spin->setProperty("invalid", !ok);
        spin->setStyleSheet(ok ? QString() : QStringLiteral("border: 2px solid #b3261e;"));
        spin->setAccessibleDescription(problem);
        spin->setToolTip(problem);
        if (!ok)
            disagree << problem;
    }
    if (!disagree.isEmpty())
        setError(disagree.join(QLatin1Char('\n')));
    m_loading = false;
}

void ConfigEditor::formToJson()
{
    const QJsonDocument doc = QJsonDocument::fromJson(m_json->toPlainText().toUtf8());
    if (!doc.isObject()) {
        setError(tr("The JSON does not parse; fix it on the JSON tab before using the form."));
        return;
    }
    QJsonObject root = doc.object();
    QJsonArray profiles = root.value(QLatin1String("profiles")).toArray();
    QJsonObject p0 = profiles.isEmpty() ? QJsonObject{} : profiles.at(0).toObject();
    QJsonObject server = p0.value(QLatin1String("serverConfig")).toObject();
    for (auto it = m_knobs.cbegin(); it != m_knobs.cend(); ++it)
        server.insert(it.key(), it.value()->value());
    p0.insert(QStringLiteral("serverConfig"), server);
    if (profiles.isEmpty())
        profiles.append(p0);
    else
        profiles[0] = p0;
    root.insert(QStringLiteral("profiles"), profiles);
    m_loading = true;
    m_json->setPlainText(QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented)));
    m_loading = false;
    m_dirty = true;
}

bool ConfigEditor::validate(QJsonObject *out)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(m_json->toPlainText().toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        const QString text = QString::fromUtf8(m_json->toPlainText().toUtf8().left(parseError.offset)); // the offset counts bytes
        const int line = int(text.count(QLatin1Char('\n'))) + 1;
        const int column = int(text.size() - (text.lastIndexOf(QLatin1Char('\n')) + 1)) + 1;
        setError(tr("Not valid JSON at line %1, column %2: %3").arg(line).arg(column).arg(parseError.errorString()));
        return false;
    }
    const QString typeId = m_base.entityType.isEmpty() ? rde::types::config().id() : m_base.entityType;
    auto schema = rde::bundledSchema(typeId);
    if (!schema) {
        setError(tr("No schema for %1: %2").arg(typeId, schema.error().message));
        return false;
    }
    const QList<rde::SchemaError> errors = rde::SchemaValidator(*schema).validate(doc.object());
    if (!errors.isEmpty()) {
        QStringList lines;
        for (const rde::SchemaError &e : errors.mid(0, 5))
            lines.append(tr("at %1: %2").arg(e.instancePath.isEmpty() ? QStringLiteral("/") : e.instancePath, e.message));
        setError(tr("Not saved: the configuration does not match the schema %1\n%2").arg(typeId, lines.join(QLatin1Char('\n'))));
        return false;
    }
    if (out)
        *out = doc.object();
    return true;
}

void ConfigEditor::save()
{
    QJsonObject content;
    if (!validate(&content))
        return;
    if (m_base.id.isEmpty()) {
        setError(notVisible());
        return;
    }
    rde::DefinedEntity edited = m_base;
    edited.entity = content;
    setError(tr("Saving…"));
    m_save->setEnabled(false);
    m_site->saveConfig(edited, this, [this](Result<rde::DefinedEntity> r) {
        m_save->setEnabled(true);
        if (!r) {
            if (r.error().is(ErrorKind::Conflict)) {
                setError(tr("Not saved: someone changed the configuration since you loaded it (the ETag no longer "
                            "matches). \"Reload and merge\" applies your changes on top of the current version."));
                m_merge->setVisible(true);
            } else {
                setError(tr("Not saved: %1").arg(r.error().toString()));
            }
            return;
        }
        m_dirty = false;
        load(*r);
        setError(tr("Saved."));
    });
}

void ConfigEditor::reloadAndMerge()
{
    QJsonObject mine;
    const QJsonDocument doc = QJsonDocument::fromJson(m_json->toPlainText().toUtf8());
    if (!doc.isObject()) {
        setError(tr("The JSON does not parse; fix it before merging."));
        return;
    }
    mine = doc.object();
    const QJsonObject base = m_base.entity;
    m_site->reloadConfig(this, [this, base, mine](Result<rde::DefinedEntity> r) {
        if (!r) {
            setError(tr("Reload failed: %1").arg(r.error().toString()));
            return;
        }
        rde::DefinedEntity merged = *r;
        merged.entity = mergeJson(base, mine, r->entity);
        load(*r);
        m_loading = true;
        m_json->setPlainText(QString::fromUtf8(QJsonDocument(merged.entity).toJson(QJsonDocument::Indented)));
        m_loading = false;
        m_dirty = true;
        jsonToForm();
        setError(tr("Merged your changes into the current version; review and save."));
    });
}

} // namespace cse::views
