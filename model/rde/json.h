// Small JSON helpers shared by the entity views, the validator and the simulator.
#pragma once

#include "core/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

namespace cse::json {

// Canonical text: compact, keys sorted (QJsonObject keeps them sorted).
QByteArray canonical(const QJsonValue &v);
QByteArray canonical(const QJsonObject &o);

// Structural equality as JSON Schema defines it: numbers compare by value
// (1 == 1.0), objects ignore key order, arrays compare element-wise.
bool equal(const QJsonValue &a, const QJsonValue &b);

// Dotted or listed path access. Missing steps read as Undefined.
QJsonValue get(const QJsonObject &root, const QStringList &path);
QJsonValue get(const QJsonObject &root, QStringView dotted);
// Returns a copy of root with the value at path replaced; intermediate
// objects are created, everything else is kept as it was.
QJsonObject set(QJsonObject root, const QStringList &path, const QJsonValue &value);
QJsonObject remove(QJsonObject root, const QStringList &path);

// JSON Pointer (RFC 6901).
QString pointerEscape(const QString &token);
QString pointerAppend(const QString &pointer, const QString &token);
QString pointerAppend(const QString &pointer, int index);
Result<QJsonValue> resolvePointer(const QJsonValue &document, const QString &pointer);

Result<QJsonObject> parseObject(const QByteArray &text, const QString &what = {});
QString typeName(const QJsonValue &v);

} // namespace cse::json
