// JSON Schema (draft-7 validation vocabulary, plus draft-4 boolean exclusive
// bounds) over QJsonValue. Only local "$ref"s ("#", "#/definitions/x") are
// resolved; remote references are reported as errors, never fetched.
#pragma once

#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QRegularExpression>
#include <QString>

namespace cse::rde {

struct SchemaError
{
    QString instancePath; // JSON pointer of the failing value ("" = the document)
    QString keyword;      // failing keyword, e.g. "required", "type"
    QString message;      // expected vs found
    QString toString() const;
};

class SchemaValidator
{
public:
    explicit SchemaValidator(QJsonValue schema = QJsonValue(true));

    // Every error found, at most maxErrors of them.
    QList<SchemaError> validate(const QJsonValue &instance, int maxErrors = 64) const;
    bool isValid(const QJsonValue &instance) const { return validate(instance, 1).isEmpty(); }

    const QJsonValue &schema() const { return m_root; }
    static QString describe(const QList<SchemaError> &errors, int limit = 5);

private:
    struct Ctx;
    bool check(const QJsonValue &schema, const QJsonValue &inst, const QString &ptr, Ctx &ctx) const;
    bool checkObject(const QJsonObject &s, const QJsonValue &inst, const QString &ptr, Ctx &ctx) const;
    bool checkArray(const QJsonObject &s, const QJsonValue &inst, const QString &ptr, Ctx &ctx) const;
    bool checkNumber(const QJsonObject &s, double x, const QString &ptr, Ctx &ctx) const;
    bool checkString(const QJsonObject &s, const QString &x, const QString &ptr, Ctx &ctx) const;
    bool checkCombinators(const QJsonObject &s, const QJsonValue &inst, const QString &ptr, Ctx &ctx) const;
    const QRegularExpression &regex(const QString &pattern) const;

    QJsonValue m_root;
    mutable QHash<QString, QRegularExpression> m_regexCache;
};

} // namespace cse::rde
