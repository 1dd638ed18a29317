// The backup archive: one file holding every CSE entity of a site, with a
// manifest (format version, site, time, counts, SHA-256 of every entry and
// of all entries) and a SHA-256 of the whole file. With secure fields it is
// encrypted with AES-256-GCM under a key derived from a passphrase (scrypt
// with the one fixed cost kWriterKdf; salt and cost stored in the header).
//
// Layout (bytes):
//   "CSE-CONSOLE-BACKUP 1\n"
//   header JSON (one line, "check" = SHA-256 of the header without "check") "\n"
//   payload (header.payloadBytes bytes: JSON, or AES-256-GCM ciphertext + 16-byte tag)
//   "SHA256 " hex(SHA-256 of every byte before this line) "\n"
//   "HMAC-SHA256 " hex(HMAC of every byte before this line) "\n"   (signed archives only)
//
// What proves what: the SHA-256 sums are unkeyed, they catch accidents
// (a truncated copy, a flipped bit), never an attacker, who can recompute
// them. Authenticity comes from a key: the GCM tag of an encrypted archive
// (keyed by the passphrase; the header is its additional data, the manifest
// and entries are the ciphertext), or the HMAC-SHA256 line of a plain
// archive signed with a key file. decode() reports which one held
// (Authenticity); a caller that was given a passphrase or a key insists on it.
//
// Reading tells a truncated file, a damaged one (any flipped byte), a
// wrong passphrase or changed ciphertext, and a failed signature apart:
// the error's kind is Invalid (Unauthorized for passphrase and signature)
// and problemOf() names which.
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

// 2: scrypt cost fixed to kWriterKdf, optional HMAC-SHA256 line. 1 is read
// too (plain, or encrypted with the same cost); newer ones are refused.
inline constexpr int kFormatVersion = 2;
inline constexpr int kOldestFormatVersion = 1;

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

// What vouches for an archive's content beyond its checksums.
enum class Authenticity {
    None,       // plain and unsigned: the checksums catch accidents only
    Passphrase, // encrypted: the GCM tag under the passphrase's key held
    Key,        // plain and signed: the HMAC under the key file held
    Unchecked,  // plain and signed, but no key was given: the HMAC was not checked
};

struct Archive
{
    Manifest manifest;
    QList<Entry> entries;
    Authenticity authenticity = Authenticity::None; // set by decode()

    // Fills the manifest's counts and digests from the entries.
    void seal();
    QList<const Entry *> ofKind(const QString &kind) const;
};

enum class Problem {
    None,
    Truncated,        // the file ends early
    Corrupt,          // a byte differs from what was written (checksum, header or format)
    WrongPassphrase,  // encrypted: the GCM tag fails (wrong passphrase, or changed after it was written)
    NeedsPassphrase,  // encrypted and no passphrase was given
    Unsupported,      // a newer format version, or a key derivation cost this program does not write
    Io,               // cannot read or write the file
    NotAuthentic,     // a key was given: the archive is unsigned, or its HMAC does not match
};
QString problemCode(Problem p); // "ARCHIVE_TRUNCATED", ... (Error::minorErrorCode)
Problem problemOf(const Error &e);

struct KdfParams
{
    int logN = 15; // scrypt N = 2^logN
    int r = 8;
    int p = 1;
    bool operator==(const KdfParams &o) const { return logN == o.logN && r == o.r && p == o.p; }
};
// The only scrypt cost written and accepted (32 MiB, a fraction of a second):
// a header naming another is refused before any key is derived, so a forged
// header cannot make a reader spend minutes or gigabytes.
inline constexpr KdfParams kWriterKdf{15, 8, 1};

// A signing key from a file (mode 0600, at least 32 bytes of content).
Result<QByteArray> readKeyFile(const QString &path);
inline constexpr int kMinKeyBytes = 32;

// Encrypts when passphrase is set (required when the archive has secrets);
// signs a plain archive when signingKey is set.
Result<QByteArray> encode(const Archive &archive, const std::optional<QString> &passphrase,
                          const std::optional<QByteArray> &signingKey = std::nullopt);
// The header alone, after checking the file's integrity: no passphrase needed.
Result<QJsonObject> inspect(const QByteArray &bytes);
// Verifies, decrypts (asking getPassphrase only for an encrypted archive) and
// parses. With key, a plain archive must carry a matching HMAC (NotAuthentic).
Result<Archive> decode(const QByteArray &bytes, const std::function<Result<QString>()> &getPassphrase,
                       const std::optional<QByteArray> &key = std::nullopt);
QString authenticityText(Authenticity a); // one line for verify and restore

Result<void> writeFile(const QString &path, const QByteArray &bytes); // mode 0600, atomic
Result<QByteArray> readFile(const QString &path);

QString sha256Hex(const QByteArray &data);

} // namespace cse::backup
