// The backup archive: one file holding every CSE entity of a site, with a
// manifest (format version, site, time, counts, SHA-256 of every entry and
// of all entries) and a SHA-256 of the whole file. With secure fields it is
// encrypted with AES-256-GCM under a key derived from a passphrase (scrypt,
// salt and cost stored in the header).
//
// Layout (bytes):
//   "CSE-CONSOLE-BACKUP 1\n"
//   header JSON (one line, "check" = SHA-256 of the header without "check") "\n"
//   payload (header.payloadBytes bytes: JSON, or AES-256-GCM ciphertext + 16-byte tag)
//   "SHA256 " hex(SHA-256 of every byte before this line) "\n"
//
// Reading tells a truncated file, a damaged one (any flipped byte) and a
// wrong passphrase apart: the error's kind is Invalid (Unauthorized for the
// passphrase) and problemOf() names which.
#pragma once

#include "core/result.h"
#include "rde/definedentity.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <functional>
#include <optional>

namespace cse::backup {

inline constexpr int kFormatVersion = 1;

namespace kind {
inline const QString kConfig = QStringLiteral("config");
inline const QString kCluster = QStringLiteral("cluster");
inline const QString kServerInstance = QStringLiteral("serverInstance");
} // namespace kind

struct Entry
{
    QString kind;               // kind::k*
    rde::DefinedEntity entity;  // id, type, name, externalId, org, owner, state, content, ETag

    QString name() const;       // "cluster/<org>/<name>/<id>": unique, for the manifest
    QJsonObject toJson() const;
    static Result<Entry> fromJson(const QJsonObject &o);
};

struct Manifest
{
    int formatVersion = kFormatVersion;
    QString site;               // URL the backup was taken from
    QString createdAt;          // ISO time
    QString createdBy;          // user@org
    QString tool;               // "cse-server 0.x"
    bool includesSecrets = false;
    QMap<QString, int> counts;  // kind -> entries
    QList<QPair<QString, QString>> entryDigests; // entry name -> SHA-256 hex of its canonical JSON
    QString entriesSha256;      // SHA-256 over the entry digests in order

    QJsonObject toJson() const;
    static Manifest fromJson(const QJsonObject &o);
    QString summary() const;    // one line: counts, site, time
};

struct Archive
{
    Manifest manifest;
    QList<Entry> entries;

    // Fills the manifest's counts and digests from the entries.
    void seal();
    QList<const Entry *> ofKind(const QString &kind) const;
};

enum class Problem {
    None,
    Truncated,        // the file ends early
    Corrupt,          // a byte differs from what was written (checksum, header or format)
    WrongPassphrase,  // the checksums hold but the passphrase does not decrypt it
    NeedsPassphrase,  // encrypted and no passphrase was given
    Unsupported,      // a newer format version
    Io,               // cannot read or write the file
};
QString problemCode(Problem p); // "ARCHIVE_TRUNCATED", ... (Error::minorErrorCode)
Problem problemOf(const Error &e);

struct KdfParams
{
    int logN = 15; // scrypt N = 2^logN
    int r = 8;
    int p = 1;
};

// Encrypts when passphrase is set (required when the archive has secrets).
Result<QByteArray> encode(const Archive &archive, const std::optional<QString> &passphrase, const KdfParams &kdf = {});
// The header alone, after checking the file's integrity: no passphrase needed.
Result<QJsonObject> inspect(const QByteArray &bytes);
// Verifies, decrypts (asking getPassphrase only for an encrypted archive) and parses.
Result<Archive> decode(const QByteArray &bytes, const std::function<Result<QString>()> &getPassphrase);

Result<void> writeFile(const QString &path, const QByteArray &bytes); // mode 0600, atomic
Result<QByteArray> readFile(const QString &path);

QString sha256Hex(const QByteArray &data);

} // namespace cse::backup
