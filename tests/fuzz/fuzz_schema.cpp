// libFuzzer target: the JSON-Schema validator, on a hostile schema and a
// hostile instance, and on hostile instances against the project's own schemas.
//   schema \0 instance  -> the schema (JSON) validates the instance (JSON, or
//                          a string if it is not JSON)
//   instance            -> (no NUL byte) validated against every schema in
//                          resources/schemas, as vcd-sim and the console do
// Properties checked beyond "returns": the same verdict with 1 and 64 errors
// allowed (unless the step budget ran out), at most 64 + 1 errors, every error
// with a keyword and a message, and the same errors on a second run.
#include "rde/schemavalidator.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#ifndef CSE_SCHEMA_DIR
#error "CSE_SCHEMA_DIR must name resources/schemas"
#endif

namespace {

const std::vector<cse::rde::SchemaValidator> &projectSchemas()
{
    static const std::vector<cse::rde::SchemaValidator> all = [] {
        std::vector<cse::rde::SchemaValidator> out;
        const QDir dir(QStringLiteral(CSE_SCHEMA_DIR));
        for (const QString &name : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
            QFile f(dir.filePath(name));
            if (!f.open(QIODevice::ReadOnly))
                __builtin_trap();
            const QJsonDocument d = QJsonDocument::fromJson(f.readAll());
            if (!d.isObject())
                __builtin_trap();
            out.emplace_back(d.object());
        }
        if (out.empty())
            __builtin_trap(); // a wrong CSE_SCHEMA_DIR must not fuzz nothing
        return out;
    }();
    return all;
}

QJsonValue parseValue(const QByteArray &text)
{
    // Wrapped in an array so that scalars parse too.
    QJsonParseError e{};
    const QJsonDocument d = QJsonDocument::fromJson("[" + text + "]", &e);
    if (e.error == QJsonParseError::NoError && d.isArray() && d.array().size() == 1)
        return d.array().at(0);
    return QString::fromUtf8(text);
}

bool sameErrors(const QList<cse::rde::SchemaError> &a, const QList<cse::rde::SchemaError> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a[i].instancePath != b[i].instancePath || a[i].keyword != b[i].keyword || a[i].message != b[i].message)
            return false;
    return true;
}

void exercise(const cse::rde::SchemaValidator &v, const QJsonValue &instance)
{
    const QList<cse::rde::SchemaError> errors = v.validate(instance, 64);
    if (errors.size() > 65)
        __builtin_trap();
    bool budget = false;
    for (const cse::rde::SchemaError &e : errors) {
        if (e.keyword.isEmpty() || e.message.isEmpty() || (!e.instancePath.isEmpty() && !e.instancePath.startsWith(QLatin1Char('/'))))
            __builtin_trap();
        budget = budget || e.keyword == QLatin1String("budget");
    }
    (void)cse::rde::SchemaValidator::describe(errors);
    if (budget)
        return; // the step budget ran out (a branching $ref cycle): repeating it only slows the fuzzer
    const QList<cse::rde::SchemaError> one = v.validate(instance, 1);
    if (one.isEmpty() != errors.isEmpty())
        __builtin_trap(); // the verdict must not depend on how many errors are collected
    if (!sameErrors(errors, v.validate(instance, 64)))
        __builtin_trap(); // deterministic, whatever the regex cache holds
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *bytes = reinterpret_cast<const char *>(data);
    const void *nul = std::memchr(bytes, 0, size);
    if (!nul) {
        const QJsonValue instance = parseValue(QByteArray::fromRawData(bytes, qsizetype(size)));
        for (const cse::rde::SchemaValidator &v : projectSchemas())
            exercise(v, instance);
        return 0;
    }
    const size_t split = size_t(static_cast<const char *>(nul) - bytes);
    const QJsonValue schema = parseValue(QByteArray(bytes, qsizetype(split)));
    const QJsonValue instance = parseValue(QByteArray(bytes + split + 1, qsizetype(size - split - 1)));
    const cse::rde::SchemaValidator v(schema);
    exercise(v, instance);
    return 0;
}
