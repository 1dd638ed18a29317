// Builds FIQL filter strings for VCD list calls, quoting values that carry
// FIQL's special characters. In eq/ne a '*' is a wildcard; eqExact/neExact
// match the value literally: inside a value a backslash makes the next
// character literal, so a star is sent as \* and a backslash as \\.
#pragma once

#include <QString>
#include <QStringList>

namespace cse::vcd::fiql {

QString quote(const QString &value); // as-is when safe, else "..." with \" and \\ escaped
QString eq(const QString &key, const QString &value);
QString ne(const QString &key, const QString &value);
QString lt(const QString &key, const QString &value);
QString le(const QString &key, const QString &value);
QString gt(const QString &key, const QString &value);
QString ge(const QString &key, const QString &value);
QString eq(const QString &key, bool value);
QString eqExact(const QString &key, const QString &value); // '*' matches only '*'
QString neExact(const QString &key, const QString &value);
QString allOf(const QStringList &terms); // a;b;c (each wrapped when it holds ',')
QString anyOf(const QStringList &terms); // (a,b,c)

} // namespace cse::vcd::fiql
