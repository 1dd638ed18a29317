#include "rde/json.h"
#include "rde/schemavalidator.h"
#include "rde/types.h"
#include "rde/vcdkeconfig.h"

#include <QFile>
#include <QJsonDocument>
#include <QtTest>

using namespace cse;
using namespace cse::rde;

static QJsonValue parse(const char *text)
{
    const QByteArray wrapped = QByteArray("[") + text + "]";
    return QJsonDocument::fromJson(wrapped).array().at(0);
}

static QJsonObject loadData(const QString &name)
{
    QFile f(QStringLiteral(CSE_TEST_DATA "/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open test data %s", qPrintable(name));
    return QJsonDocument::fromJson(f.readAll()).object();
}

class TestSchemaValidator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void errors_data();
    void errors();
    void draft4ExclusiveBounds();
    void collectsSeveralErrors();
    void remoteRefIsAnError();
    void bundledSchemasLoad();
    void samplesValidate_data();
    void samplesValidate();
    void invalidEntities_data();
    void invalidEntities();
    void securePaths();
};

void TestSchemaValidator::errors_data()
{
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QString>("instance");
    QTest::addColumn<QString>("pointer");  // empty with keyword empty: valid
    QTest::addColumn<QString>("keyword");
    QTest::addColumn<QString>("mentions"); // text the message must contain

    QTest::newRow("valid") << R"({"type":"object"})" << "{}" << "" << "" << "";
    QTest::newRow("type") << R"({"properties":{"a":{"type":"integer"}}})" << R"({"a":"x"})"
                          << "/a" << "type" << "expected integer, found string";
    QTest::newRow("integer-vs-number") << R"({"type":"integer"})" << "1.5" << "" << "type" << "found number";
    QTest::newRow("required") << R"({"properties":{"spec":{"required":["vcdKe"]}}})" << R"({"spec":{}})"
                              << "/spec/vcdKe" << "required" << "\"vcdKe\" is missing";
    QTest::newRow("enum") << R"({"enum":["a","b"]})" << R"("c")" << "" << "enum" << R"(expected one of ["a","b"], found "c")";
    QTest::newRow("const") << R"({"const":{"k":1}})" << R"({"k":2})" << "" << "const" << "expected {\"k\":1}";
    QTest::newRow("minimum") << R"({"minimum":1})" << "0" << "" << "minimum" << ">= 1, found 0";
    QTest::newRow("exclusiveMaximum7") << R"({"exclusiveMaximum":3})" << "3" << "" << "exclusiveMaximum" << "< 3";
    QTest::newRow("multipleOf") << R"({"multipleOf":0.5})" << "1.25" << "" << "multipleOf" << "multiple of 0.5";
    QTest::newRow("minLength-codepoints") << R"({"minLength":2})" << "\"\\ud83d\\udca9\"" << "" << "minLength" << "found 1";
    QTest::newRow("pattern") << R"({"pattern":"^v\\d"})" << R"("x1")" << "" << "pattern" << "matching";
    QTest::newRow("items-tuple") << R"({"items":[{"type":"string"},{"type":"integer"}]})" << R"(["a","b"])"
                                 << "/1" << "type" << "expected integer";
    QTest::newRow("additionalItems") << R"({"items":[{}],"additionalItems":false})" << "[1,2]" << "/1"
                                     << "additionalItems" << "at most 1";
    QTest::newRow("uniqueItems") << R"({"uniqueItems":true})" << R"([1,{"a":1},1.0])" << "" << "uniqueItems" << "0 and 2";
    QTest::newRow("additionalProperties") << R"({"properties":{"a":{}},"additionalProperties":false})"
                                          << R"({"a":1,"b/c":2})" << "/b~1c" << "additionalProperties" << "\"b/c\"";
    QTest::newRow("patternProperties") << R"({"patternProperties":{"^x-":{"type":"string"}}})" << R"({"x-a":1})"
                                       << "/x-a" << "type" << "expected string";
    QTest::newRow("maxProperties") << R"({"maxProperties":1})" << R"({"a":1,"b":2})" << "" << "maxProperties" << "at most 1";
    QTest::newRow("anyOf") << R"({"anyOf":[{"type":"string"},{"type":"integer"}]})" << "true" << "" << "anyOf" << "none of the 2";
    QTest::newRow("oneOf-two") << R"({"oneOf":[{"minimum":1},{"maximum":5}]})" << "3" << "" << "oneOf" << "found 2";
    QTest::newRow("allOf") << R"({"allOf":[{"type":"integer"},{"minimum":10}]})" << "5" << "" << "minimum" << ">= 10";
    QTest::newRow("not") << R"({"not":{"type":"null"}})" << "null" << "" << "not" << "must not";
    QTest::newRow("if-then") << R"({"if":{"properties":{"k":{"const":"a"}}},"then":{"required":["x"]},"else":{"required":["y"]}})"
                             << R"({"k":"a"})" << "/x" << "required" << "\"x\"";
    QTest::newRow("if-else") << R"({"if":{"properties":{"k":{"const":"a"}}},"then":{"required":["x"]},"else":{"required":["y"]}})"
                             << R"({"k":"b"})" << "/y" << "required" << "\"y\"";
    QTest::newRow("ref") << R"({"definitions":{"p":{"type":"integer","minimum":0}},"properties":{"port":{"$ref":"#/definitions/p"}}})"
                         << R"({"port":-1})" << "/port" << "minimum" << ">= 0";
    QTest::newRow("ref-ignores-siblings") << R"({"definitions":{"s":{"type":"string"}},"properties":{"a":{"$ref":"#/definitions/s","maxLength":1}}})"
                                          << R"({"a":"long"})" << "" << "" << "";
    QTest::newRow("false-schema") << R"({"properties":{"no":false}})" << R"({"no":1})" << "/no" << "false" << "no value";
    QTest::newRow("contains") << R"({"contains":{"const":3}})" << "[1,2]" << "" << "contains" << "at least one";
    QTest::newRow("dependencies") << R"({"dependencies":{"a":["b"]}})" << R"({"a":1})" << "/b" << "dependencies" << "\"a\"";
    QTest::newRow("propertyNames") << R"({"propertyNames":{"maxLength":2}})" << R"({"abc":1})" << "/abc" << "propertyNames" << "\"abc\"";
}

void TestSchemaValidator::errors()
{
    QFETCH(QString, schema);
    QFETCH(QString, instance);
    QFETCH(QString, pointer);
    QFETCH(QString, keyword);
    QFETCH(QString, mentions);
    const SchemaValidator v(parse(schema.toUtf8().constData()));
    const auto errs = v.validate(parse(instance.toUtf8().constData()));
    if (keyword.isEmpty()) {
        QVERIFY2(errs.isEmpty(), qPrintable(SchemaValidator::describe(errs)));
        return;
    }
    QVERIFY(!errs.isEmpty());
    bool found = false;
    for (const SchemaError &e : errs)
        found = found || (e.instancePath == pointer && e.keyword == keyword && e.message.contains(mentions));
    QVERIFY2(found, qPrintable(QStringLiteral("wanted %1 %2 \"%3\", got: %4")
                                   .arg(pointer, keyword, mentions, SchemaValidator::describe(errs, 10))));
}

void TestSchemaValidator::draft4ExclusiveBounds()
{
    const SchemaValidator v(parse(R"({"minimum":1,"exclusiveMinimum":true,"maximum":3,"exclusiveMaximum":true})"));
    QVERIFY(!v.isValid(1));
    QVERIFY(v.isValid(2));
    QVERIFY(!v.isValid(3));
}

void TestSchemaValidator::collectsSeveralErrors()
{
    const SchemaValidator v(parse(R"({"required":["a","b"],"properties":{"c":{"type":"string"}}})"));
    const auto errs = v.validate(parse(R"({"c":1})"));
    QCOMPARE(errs.size(), 3);
    QCOMPARE(v.validate(parse(R"({"c":1})"), 2).size(), 2);
}

void TestSchemaValidator::remoteRefIsAnError()
{
    const SchemaValidator v(parse(R"({"$ref":"http://example.com/s.json"})"));
    const auto errs = v.validate(1);
    QCOMPARE(errs.size(), 1);
    QCOMPARE(errs.first().keyword, QStringLiteral("$ref"));
    QVERIFY(errs.first().message.contains(QStringLiteral("not supported")));
}

void TestSchemaValidator::bundledSchemasLoad()
{
    QCOMPARE(knownTypes().size(), 6);
    for (const TypeInfo &t : knownTypes()) {
        auto s = bundledSchema(t.ref.id());
        QVERIFY2(s.ok(), qPrintable(t.ref.id()));
        QCOMPARE(s->value(QLatin1String("type")).toString(), QStringLiteral("object"));
        QVERIFY(!s->value(QLatin1String("required")).toArray().isEmpty());
    }
    QVERIFY(!bundledSchema(QStringLiteral("urn:vcloud:type:x:y:1.0.0")).ok());
}

void TestSchemaValidator::samplesValidate_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QJsonObject>("entity");
    QTest::newRow("1.2.0 provisioned") << types::cluster().id() << loadData(QStringLiteral("cluster-1.2.0-provisioned.json"));
    QTest::newRow("1.2.0 creating") << types::cluster().id() << loadData(QStringLiteral("cluster-1.2.0-creating.json"));
    QTest::newRow("1.1.0 error") << types::cluster(QStringLiteral("1.1.0")).id() << loadData(QStringLiteral("cluster-1.1.0-error.json"));
    QTest::newRow("1.3.0 projector") << types::cluster(QStringLiteral("1.3.0")).id() << loadData(QStringLiteral("cluster-1.3.0-projector.json"));
    QTest::newRow("config 1.0.0") << types::config(QStringLiteral("1.0.0")).id() << loadData(QStringLiteral("vcdkeconfig-1.0.0.json"));
    QTest::newRow("config 1.1.0 defaults") << types::config().id() << VcdKeConfig::defaults42().json();
    QTest::newRow("serverInstance") << types::serverInstance().id() << loadData(QStringLiteral("serverinstance-1.0.0.json"));
}

void TestSchemaValidator::samplesValidate()
{
    QFETCH(QString, type);
    QFETCH(QJsonObject, entity);
    QVERIFY(!entity.isEmpty());
    const SchemaValidator v(bundledSchema(type).value());
    const auto errs = v.validate(entity);
    QVERIFY2(errs.isEmpty(), qPrintable(SchemaValidator::describe(errs)));
}

void TestSchemaValidator::invalidEntities_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QJsonObject>("entity");
    QTest::addColumn<QString>("pointer");
    const QJsonObject good = loadData(QStringLiteral("cluster-1.2.0-provisioned.json"));
    QTest::newRow("bad state") << types::cluster().id()
                               << json::set(good, {"status", "vcdKe", "state"}, QStringLiteral("happy")) << "/status/vcdKe/state";
    QTest::newRow("bool as string") << types::cluster().id()
                                    << json::set(good, {"spec", "vcdKe", "markForDelete"}, QStringLiteral("yes"))
                                    << "/spec/vcdKe/markForDelete";
    QTest::newRow("missing metadata.site") << types::cluster().id()
                                           << json::remove(good, {"metadata", "site"}) << "/metadata/site";
    QTest::newRow("negative replicas") << types::cluster().id()
                                       << json::set(good, {"status", "capvcd", "nodePool", "1", "desiredReplicas"}, -2)
                                       << "/status/capvcd/nodePool/1/desiredReplicas";
    QTest::newRow("event without name") << types::cluster().id()
                                        << json::remove(good, {"status", "vcdKe", "eventSet", "0", "name"})
                                        << "/status/vcdKe/eventSet/0/name";
    QTest::newRow("wrong kind") << types::cluster().id() << json::set(good, {"kind"}, QStringLiteral("Cluster")) << "/kind";
    QTest::newRow("projector verb") << types::cluster(QStringLiteral("1.3.0")).id()
                                    << json::set(loadData(QStringLiteral("cluster-1.3.0-projector.json")),
                                                 {"spec", "projector", "operations", "0", "verb"}, QStringLiteral("delete"))
                                    << "/spec/projector/operations/0/verb";
    QTest::newRow("mhc out of range") << types::config().id()
                                      << json::set(VcdKeConfig::defaults42().json(),
                                                   {"profiles", "0", "K8Config", "mhc", "maxUnhealthyNodes"}, 0)
                                      << "/profiles/0/K8Config/mhc/maxUnhealthyNodes";
    QTest::newRow("replica state") << types::serverInstance().id()
                                   << json::set(loadData(QStringLiteral("serverinstance-1.0.0.json")), {"state"}, QStringLiteral("dead"))
                                   << "/state";
}

void TestSchemaValidator::invalidEntities()
{
    QFETCH(QString, type);
    QFETCH(QJsonObject, entity);
    QFETCH(QString, pointer);
    const SchemaValidator v(bundledSchema(type).value());
    const auto errs = v.validate(entity);
    QVERIFY(!errs.isEmpty());
    QCOMPARE(errs.first().instancePath, pointer);
    QVERIFY(errs.first().toString().startsWith(pointer + QStringLiteral(": ")));
}

void TestSchemaValidator::securePaths()
{
    const QStringList cluster = rde::securePaths(bundledSchema(types::cluster().id()).value());
    QCOMPARE(cluster, (QStringList{QStringLiteral("spec.vcdKe.secure.apiToken"),
                                   QStringLiteral("status.capvcd.private.kubeConfig")}));
    QVERIFY(rde::securePaths(bundledSchema(types::serverInstance().id()).value()).isEmpty());
}

QTEST_GUILESS_MAIN(TestSchemaValidator)
#include "tst_schemavalidator.moc"
