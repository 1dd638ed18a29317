// Conformance: the official JSON-Schema-Test-Suite (draft-7), as installed by
// Debian's json-schema-test-suite package. Nothing of it is copied here.
#include "rde/schemavalidator.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using cse::rde::SchemaValidator;

namespace {

const QStringList kSchemaMapKeywords = {QStringLiteral("properties"), QStringLiteral("patternProperties"),
                                        QStringLiteral("definitions"), QStringLiteral("dependencies")};
const QStringList kSchemaKeywords = {QStringLiteral("items"), QStringLiteral("additionalItems"),
                                     QStringLiteral("additionalProperties"), QStringLiteral("contains"),
                                     QStringLiteral("propertyNames"), QStringLiteral("not"), QStringLiteral("if"),
                                     QStringLiteral("then"), QStringLiteral("else"), QStringLiteral("allOf"),
                                     QStringLiteral("anyOf"), QStringLiteral("oneOf")};

struct RefUse
{
    bool hasRef = false;
    bool hasId = false;
    bool nonLocalRef = false;
};

void scan(const QJsonValue &schema, RefUse &use);

void scanMap(const QJsonObject &map, RefUse &use)
{
    for (const QJsonValue &v : map)
        scan(v, use);
}

void scan(const QJsonValue &schema, RefUse &use)
{
    if (schema.isArray()) {
        for (const QJsonValue &v : schema.toArray())
            scan(v, use);
        return;
    }
    if (!schema.isObject())
        return;
    const QJsonObject s = schema.toObject();
    const QJsonValue ref = s.value(QLatin1String("$ref"));
    if (ref.isString()) {
        use.hasRef = true;
        const QString r = ref.toString();
        if (r != QLatin1String("#") && !r.startsWith(QLatin1String("#/")))
            use.nonLocalRef = true;
    }
    if (s.value(QLatin1String("$id")).isString())
        use.hasId = true;
    for (const QString &k : kSchemaMapKeywords)
        scanMap(s.value(k).toObject(), use);
    for (const QString &k : kSchemaKeywords)
        scan(s.value(k), use);
}

// Why a case is outside what the validator supports, or empty.
QString skipReason(const QString &file, const QJsonValue &schema)
{
    if (file.startsWith(QLatin1String("optional/format/")))
        return QStringLiteral("optional: \"format\" is an annotation here; format assertions are not supported");
    if (file == QLatin1String("optional/ecmascript-regex.json"))
        return QStringLiteral("optional: patterns run on PCRE2, which accepts some non-ECMA-262 syntax (\\Z)");
    if (file == QLatin1String("optional/content.json"))
        return QStringLiteral("optional: contentMediaType/contentEncoding are annotations, not assertions");
    if (file == QLatin1String("refRemote.json"))
        return QStringLiteral("remote references are not supported (never fetched)");
    RefUse use;
    scan(schema, use);
    if (use.nonLocalRef)
        return QStringLiteral("remote or anchor-name $ref is not supported; only local JSON pointers");
    if (use.hasRef && use.hasId)
        return QStringLiteral("$id base-URI changes are not supported; only local JSON pointers");
    return {};
}

} // namespace

class TestSchemaSuite : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void suiteIsInstalled();
    void draft7_data();
    void draft7();
    void cleanupTestCase();

private:
    int m_passed = 0;
    int m_failed = 0;
    QMap<QString, int> m_skipped;
};

void TestSchemaSuite::suiteIsInstalled()
{
    const QDir dir(QStringLiteral(CSE_SCHEMA_SUITE_DIR));
    QVERIFY2(dir.exists(), "json-schema-test-suite is not installed (run `make deps`)");
    QVERIFY(dir.entryList({QStringLiteral("*.json")}, QDir::Files).size() >= 20);
}

void TestSchemaSuite::draft7_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QJsonValue>("schema");
    QTest::addColumn<QJsonValue>("data");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("skip");

    const QDir dir(QStringLiteral(CSE_SCHEMA_SUITE_DIR));
    // The required files, then the optional ones (run where supported).
    QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    QDirIterator optional(dir.filePath(QStringLiteral("optional")), {QStringLiteral("*.json")}, QDir::Files,
                          QDirIterator::Subdirectories);
    QStringList optionalFiles;
    while (optional.hasNext())
        optionalFiles << dir.relativeFilePath(optional.next());
    optionalFiles.sort();
    files += optionalFiles;
    for (const QString &file : std::as_const(files)) {
        QFile f(dir.filePath(file));
        if (!f.open(QIODevice::ReadOnly))
            QFAIL(qPrintable(QStringLiteral("cannot read %1").arg(f.fileName())));
        QJsonParseError err{};
        const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &err);
        if (err.error != QJsonParseError::NoError)
            QFAIL(qPrintable(QStringLiteral("%1: %2").arg(file, err.errorString())));
        int g = 0;
        for (const QJsonValue &groupValue : doc.array()) {
            const QJsonObject group = groupValue.toObject();
            const QJsonValue schema = group.value(QLatin1String("schema"));
            const QString skip = skipReason(file, schema);
            int t = 0;
            for (const QJsonValue &testValue : group.value(QLatin1String("tests")).toArray()) {
                const QJsonObject test = testValue.toObject();
                const QString tag = QStringLiteral("%1 #%2.%3 %4 / %5")
                                        .arg(file).arg(g).arg(t++)
                                        .arg(group.value(QLatin1String("description")).toString(),
                                             test.value(QLatin1String("description")).toString());
                QTest::newRow(qPrintable(tag)) << file << schema << test.value(QLatin1String("data"))
                                               << test.value(QLatin1String("valid")).toBool() << skip;
            }
            ++g;
        }
    }
}

void TestSchemaSuite::draft7()
{
    QFETCH(QString, file);
    QFETCH(QJsonValue, schema);
    QFETCH(QJsonValue, data);
    QFETCH(bool, valid);
    QFETCH(QString, skip);
    if (!skip.isEmpty()) {
        ++m_skipped[skip];
        QSKIP(qPrintable(skip));
    }
    const SchemaValidator validator(schema);
    const auto errors = validator.validate(data);
    const bool ok = errors.isEmpty();
    if (ok == valid)
        ++m_passed;
    else
        ++m_failed;
    QVERIFY2(ok == valid, qPrintable(ok ? QStringLiteral("accepted an invalid instance")
                                        : QStringLiteral("rejected a valid instance: ") + SchemaValidator::describe(errors)));
}

void TestSchemaSuite::cleanupTestCase()
{
    int skipped = 0;
    for (int n : std::as_const(m_skipped))
        skipped += n;
    qInfo().noquote() << QStringLiteral("JSON-Schema-Test-Suite draft7: %1 passed, %2 failed, %3 skipped")
                             .arg(m_passed).arg(m_failed).arg(skipped);
    for (auto it = m_skipped.cbegin(); it != m_skipped.cend(); ++it)
        qInfo().noquote() << QStringLiteral("  skipped %1: %2").arg(it.value()).arg(it.key());
    QVERIFY(m_passed > 300);
}

QTEST_GUILESS_MAIN(TestSchemaSuite)
#include "tst_schemasuite.moc"
