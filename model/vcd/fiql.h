// Builds FIQL filter strings for VCD list calls, quoting values that carry
// FIQL's special characters.
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
QString allOf(const QStringList &terms); // a;b;c (each wrapped when it holds ',')
QString anyOf(const QStringList &terms); // (a,b,c)

} // namespace cse::vcd::fiql
