// What an attacker who can write a backup archive (but knows no key) can do
// with it: take it apart, change the header or the payload, and put it back
// together with every unkeyed checksum recomputed (the header's "check",
// payloadBytes, the entry digests, the manifest total and the closing
// SHA-256). Tests use it to show that only a key vouches for an archive.
#pragma once

#include "backup/archive.h"
#include "rde/json.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <functional>

namespace cse::test {

struct ForgedArchive
{
    QJsonObject header;
    QByteArray payload;
    QByteArray macLine; // "HMAC-SHA256 ...\n" of a signed archive, kept as it was

    static ForgedArchive parse(const QByteArray &bytes)
    {
        ForgedArchive a;
        const qsizetype magicEnd = bytes.indexOf('\n') + 1;
        const qsizetype headerEnd = bytes.indexOf('\n', magicEnd);
        a.header = QJsonDocument::fromJson(bytes.mid(magicEnd, headerEnd - magicEnd)).object();
        a.payload = bytes.mid(headerEnd + 1, a.header.value(QLatin1String("payloadBytes")).toInteger());
        const qsizetype rest = headerEnd + 1 + a.payload.size() + 72; // the SHA256 line
        a.macLine = bytes.mid(rest);
        return a;
    }

    // A plain payload's entries changed by `edit`, with their digests recomputed.
    void editEntries(const std::function<void(QJsonArray &)> &edit)
    {
        QJsonObject doc = QJsonDocument::fromJson(payload).object();
        QJsonArray entries = doc.value(QLatin1String("entries")).toArray();
        edit(entries);
        QJsonObject manifest = doc.value(QLatin1String("manifest")).toObject();
        QJsonArray digests;
        QByteArray all;
        for (int i = 0; i < entries.size(); ++i) {
            const QString sha = backup::sha256Hex(json::canonical(entries[i].toObject()));
            QJsonObject d = manifest.value(QLatin1String("entries")).toArray().at(i).toObject();
            d.insert(QStringLiteral("sha256"), sha);
            digests.append(d);
            all += sha.toLatin1();
        }
        manifest.insert(QStringLiteral("entries"), digests);
        manifest.insert(QStringLiteral("entriesSha256"), backup::sha256Hex(all));
        doc.insert(QStringLiteral("manifest"), manifest);
        doc.insert(QStringLiteral("entries"), entries);
        payload = json::canonical(doc);
    }

    QByteArray bytes() const
    {
        QJsonObject h = header;
        h.insert(QStringLiteral("payloadBytes"), qint64(payload.size()));
        h.remove(QStringLiteral("check"));
        h.insert(QStringLiteral("check"), backup::sha256Hex(json::canonical(h)));
        QByteArray out = QByteArrayLiteral("CSE-CONSOLE-BACKUP 1\n") + json::canonical(h) + '\n' + payload;
        out += "SHA256 " + backup::sha256Hex(out).toLatin1() + '\n';
        return out + macLine;
    }
};

// The configuration's proxyConfig (profiles[0].bootstrapClusterConfig)
// pointed at the attacker's proxy.
inline void forgeProxyConfig(QJsonArray &entries)
{
    for (int i = 0; i < entries.size(); ++i) {
        QJsonObject e = entries[i].toObject();
        if (e.value(QLatin1String("kind")).toString() != backup::kind::kConfig)
            continue;
        QJsonObject de = e.value(QLatin1String("definedEntity")).toObject();
        QJsonObject content = de.value(QLatin1String("entity")).toObject();
        QJsonArray profiles = content.value(QLatin1String("profiles")).toArray();
        QJsonObject profile = profiles.at(0).toObject();
        QJsonObject bootstrap = profile.value(QLatin1String("bootstrapClusterConfig")).toObject();
        bootstrap.insert(QStringLiteral("proxyConfig"), QJsonObject{{QStringLiteral("httpsProxy"), QStringLiteral("http://evil.example:3128")}});
        profile.insert(QStringLiteral("bootstrapClusterConfig"), bootstrap);
        if (profiles.isEmpty())
            profiles.append(profile);
        else
            profiles[0] = profile;
        content.insert(QStringLiteral("profiles"), profiles);
        de.insert(QStringLiteral("entity"), content);
        e.insert(QStringLiteral("definedEntity"), de);
        entries[i] = e;
    }
}

} // namespace cse::test
