#include "json.h"

#include <QJsonDocument>
#include <QUrl>
#include <cmath>

namespace cse::json {

QByteArray canonical(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray canonical(const QJsonValue &v)
{
    if (v.isObject())
        return canonical(v.toObject());
    if (v.isArray())
        return QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
    // Scalars: wrap in an array and strip the brackets.
    QByteArray t = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return t.mid(1, t.size() - 2);
}

bool equal(const QJsonValue &a, const QJsonValue &b)
{
    if (a.type() != b.type())
        return false;
    switch (a.type()) {
    case QJsonValue::Double:
        return a.toDouble() == b.toDouble();
    case QJsonValue::String:
        return a.toString() == b.toString();
    case QJsonValue::Bool:
        return a.toBool() == b.toBool();
    case QJsonValue::Array: {
        const QJsonArray x = a.toArray(), y = b.toArray();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i)
            if (!equal(x.at(i), y.at(i)))
                return false;
        return true;
    }
    case QJsonValue::Object: {
        const QJsonObject x = a.toObject(), y = b.toObject();
        if (x.size() != y.size())
            return false;
        for (auto it = x.begin(); it != x.end(); ++it) {
            auto other = y.constFind(it.key());
            if (other == y.constEnd() || !equal(it.value(), other.value()))
                return false;
        }
        return true;
    }
    default:
        return true; // Null == Null, Undefined == Undefined
    }
}

QJsonValue get(const QJsonObject &root, const QStringList &path)
{
    QJsonValue cur = root;
    for (const QString &step : path) {
        if (cur.isObject()) {
            cur = cur.toObject().value(step);
        } else if (cur.isArray()) {
            bool ok = false;
            const int idx = step.toInt(&ok);
            if (!ok)
                return QJsonValue(QJsonValue::Undefined);
            cur = cur.toArray().at(idx);
        } else {
            return QJsonValue(QJsonValue::Undefined);
        }
    }
    return cur;
}

QJsonValue get(const QJsonObject &root, QStringView dotted)
{
    return get(root, dotted.toString().split(QLatin1Char('.')));
}

static QJsonValue setIn(const QJsonValue &node, const QStringList &path, int i, const QJsonValue &value, bool erase)
{
    if (i == path.size())
        return value;
    const QString &key = path.at(i);
    const bool last = i == path.size() - 1;
    if (node.isArray()) {
        // Arrays are addressed by index; an index past the end appends.
        QJsonArray a = node.toArray();
        bool ok = false;
        const int idx = key.toInt(&ok);
        if (!ok || idx < 0)
            return a;
        if (idx >= a.size()) {
            if (!erase)
                a.append(setIn(QJsonValue(QJsonValue::Undefined), path, i + 1, value, erase));
            return a;
        }
        if (erase && last)
            a.removeAt(idx);
        else
            a.replace(idx, setIn(a.at(idx), path, i + 1, value, erase));
        return a;
    }
    QJsonObject o = node.toObject();
    if (erase && last) {
        o.remove(key);
        return o;
    }
    if (erase && !o.contains(key))
        return o;
    o.insert(key, setIn(o.value(key), path, i + 1, value, erase));
    return o;
}

QJsonObject set(QJsonObject root, const QStringList &path, const QJsonValue &value)
{
    if (path.isEmpty())
        return value.toObject();
    return setIn(root, path, 0, value, false).toObject();
}

QJsonObject remove(QJsonObject root, const QStringList &path)
{
    if (path.isEmpty())
        return {};
    return setIn(root, path, 0, {}, true).toObject();
}

QString pointerEscape(const QString &token)
{
    QString t = token;
    t.replace(QLatin1Char('~'), QLatin1String("~0"));
    t.replace(QLatin1Char('/'), QLatin1String("~1"));
    return t;
}

QString pointerAppend(const QString &pointer, const QString &token)
{
    return pointer + QLatin1Char('/') + pointerEscape(token);
}

QString pointerAppend(const QString &pointer, int index)
{
    return pointer + QLatin1Char('/') + QString::number(index);
}

Result<QJsonValue> resolvePointer(const QJsonValue &document, const QString &pointerIn)
{
    // Accept the URI-fragment form ("#/a/b") as well as the plain form.
    QString pointer = pointerIn;
    if (pointer.startsWith(QLatin1Char('#')))
        pointer = QUrl::fromPercentEncoding(pointer.mid(1).toUtf8());
    if (pointer.isEmpty())
        return document;
    if (!pointer.startsWith(QLatin1Char('/')))
        return makeError(QStringLiteral("JSON pointer \"%1\" must start with '/'").arg(pointerIn));
    QJsonValue cur = document;
    const QStringList tokens = pointer.mid(1).split(QLatin1Char('/'));
    for (QString tok : tokens) {
        tok.replace(QLatin1String("~1"), QLatin1String("/"));
        tok.replace(QLatin1String("~0"), QLatin1String("~"));
        if (cur.isObject()) {
            const QJsonObject o = cur.toObject();
            if (!o.contains(tok))
                return makeError(QStringLiteral("JSON pointer \"%1\": no member \"%2\"").arg(pointerIn, tok));
            cur = o.value(tok);
        } else if (cur.isArray()) {
            bool ok = false;
            const int idx = tok.toInt(&ok);
            const QJsonArray a = cur.toArray();
            if (!ok || idx < 0 || idx >= a.size())
                return makeError(QStringLiteral("JSON pointer \"%1\": no element \"%2\"").arg(pointerIn, tok));
            cur = a.at(idx);
        } else {
            return makeError(QStringLiteral("JSON pointer \"%1\": cannot step into a %2").arg(pointerIn, typeName(cur)));
        }
    }
    return cur;
}

Result<QJsonObject> parseObject(const QByteArray &text, const QString &what)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(text, &err);
    const QString subject = what.isEmpty() ? QStringLiteral("JSON") : what;
    if (err.error != QJsonParseError::NoError)
        return makeError(QStringLiteral("%1 is not valid JSON at offset %2: %3")
                             .arg(subject).arg(err.offset).arg(err.errorString()));
    if (!doc.isObject())
        return makeError(QStringLiteral("%1 must be a JSON object").arg(subject));
    return doc.object();
}

QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("boolean");
    case QJsonValue::Double: {
        const double d = v.toDouble();
        return (std::isfinite(d) && std::floor(d) == d) ? QStringLiteral("integer") : QStringLiteral("number");
    }
    case QJsonValue::String: return QStringLiteral("string");
    case QJsonValue::Array: return QStringLiteral("array");
    case QJsonValue::Object: return QStringLiteral("object");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("undefined");
}

} // namespace cse::json
