#include "archive.h"

#include "core/logging.h"
#include "rde/json.h"

#include "vcd/connectionoptions.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace cse::backup {

namespace {
const QByteArray kMagic = QByteArrayLiteral("CSE-CONSOLE-BACKUP 1\n");
const QByteArray kTrailerTag = QByteArrayLiteral("SHA256 ");
constexpr int kTrailerSize = 7 + 64 + 1;
const QByteArray kMacTag = QByteArrayLiteral("HMAC-SHA256 ");
constexpr int kMacLineSize = 12 + 64 + 1;
const QString kMacName = QStringLiteral("HMAC-SHA256");
constexpr int kSaltBytes = 16;
constexpr int kIvBytes = 12;
constexpr int kTagBytes = 16;

Error problem(Problem p, const QString &message)
{
    Error e = makeError(p == Problem::WrongPassphrase || p == Problem::NeedsPassphrase || p == Problem::NotAuthentic
                            ? ErrorKind::Unauthorized
                            : ErrorKind::Invalid,
                        message, QStringLiteral("reading the backup archive"));
    e.minorErrorCode = problemCode(p);
    return e;
}

QByteArray hmacSha256(const QByteArray &key, const QByteArray &data)
{
    return QMessageAuthenticationCode::hash(data, key, QCryptographicHash::Sha256).toHex();
}

Result<QByteArray> deriveKey(const QString &passphrase, const QByteArray &salt, const KdfParams &kdf)
{
    const QByteArray pass = passphrase.toUtf8();
    QByteArray key(32, '\0');
    const uint64_t n = uint64_t(1) << kdf.logN;
    const uint64_t maxMem = 128 * n * uint64_t(kdf.r) * uint64_t(kdf.p) + (uint64_t(64) << 20);
    if (EVP_PBE_scrypt(pass.constData(), size_t(pass.size()), reinterpret_cast<const unsigned char *>(salt.constData()),
                       size_t(salt.size()), n, uint64_t(kdf.r), uint64_t(kdf.p), maxMem,
                       reinterpret_cast<unsigned char *>(key.data()), size_t(key.size()))
        != 1)
        return makeError(QStringLiteral("deriving the key from the passphrase failed (scrypt needs %1 MiB of memory)")
                             .arg(maxMem >> 20));
    return key;
}

// AES-256-GCM; the header line is authenticated as additional data.
Result<QByteArray> seal(const QByteArray &key, const QByteArray &iv, const QByteArray &aad, const QByteArray &plain)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (!ctx)
        return makeError(QStringLiteral("out of memory (cipher)"));
    QByteArray out(plain.size() + kTagBytes, '\0');
    int len = 0, total = 0;
    bool ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1
              && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, int(iv.size()), nullptr) == 1
              && EVP_EncryptInit_ex(ctx, nullptr, nullptr, reinterpret_cast<const unsigned char *>(key.constData()),
                                    reinterpret_cast<const unsigned char *>(iv.constData())) == 1
              && EVP_EncryptUpdate(ctx, nullptr, &len, reinterpret_cast<const unsigned char *>(aad.constData()), int(aad.size())) == 1
              && EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char *>(out.data()), &len,
                                   reinterpret_cast<const unsigned char *>(plain.constData()), int(plain.size())) == 1;
    total = len;
    ok = ok && EVP_EncryptFinal_ex(ctx, reinterpret_cast<unsigned char *>(out.data()) + total, &len) == 1;
    total += len;
    ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTagBytes, out.data() + total) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok)
        return makeError(QStringLiteral("encrypting the archive failed (AES-256-GCM)"));
    out.resize(total + kTagBytes);
    return out;
}

std::optional<QByteArray> open(const QByteArray &key, const QByteArray &iv, const QByteArray &aad, const QByteArray &sealed)
{
    if (sealed.size() < kTagBytes)
        return std::nullopt;
    const int n = int(sealed.size()) - kTagBytes;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (!ctx)
        return std::nullopt;
    QByteArray out(n, '\0');
    QByteArray tag = sealed.right(kTagBytes);
    int len = 0, total = 0;
    bool ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1
              && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, int(iv.size()), nullptr) == 1
              && EVP_DecryptInit_ex(ctx, nullptr, nullptr, reinterpret_cast<const unsigned char *>(key.constData()),
                                    reinterpret_cast<const unsigned char *>(iv.constData())) == 1
              && EVP_DecryptUpdate(ctx, nullptr, &len, reinterpret_cast<const unsigned char *>(aad.constData()), int(aad.size())) == 1
              && EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char *>(out.data()), &len,
                                   reinterpret_cast<const unsigned char *>(sealed.constData()), n) == 1;
    total = len;
    ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1;
    ok = ok && EVP_DecryptFinal_ex(ctx, reinterpret_cast<unsigned char *>(out.data()) + total, &len) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok)
        return std::nullopt;
    out.resize(total + len);
    return out;
}

QByteArray headerCheck(QJsonObject header)
{
    header.remove(QStringLiteral("check"));
    return sha256Hex(json::canonical(header)).toLatin1();
}

struct Parsed
{
    QJsonObject header;
    QByteArray headerLine; // magic + header + "\n": the AAD
    QByteArray payload;
    QByteArray signedBytes; // everything before the HMAC line (signed archives)
    QByteArray mac;         // hex HMAC of a signed archive, else empty
};

Result<Parsed> verify(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return problem(Problem::Truncated, QStringLiteral("the archive is truncated: the file is empty"));
    if (!bytes.startsWith(kMagic)) {
        if (bytes.size() < kMagic.size() && kMagic.startsWith(bytes))
            return problem(Problem::Truncated, QStringLiteral("the archive is truncated: it ends within its first line"));
        return problem(Problem::Corrupt, QStringLiteral("the archive is corrupt: it does not start with \"%1\" (damaged, or not a "
                                                        "CSE Console backup)").arg(QString::fromLatin1(kMagic.trimmed())));
    }
    const qsizetype eol = bytes.indexOf('\n', kMagic.size());
    if (eol < 0)
        return problem(Problem::Truncated, QStringLiteral("the archive is truncated: it ends within its header"));
    const QByteArray headerText = bytes.mid(kMagic.size(), eol - kMagic.size());
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(headerText, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return problem(Problem::Corrupt, QStringLiteral("the archive is corrupt: its header is not valid JSON (%1)").arg(pe.errorString()));
    const QJsonObject header = doc.object();
    if (header.value(QLatin1String("check")).toString().toLatin1() != headerCheck(header))
        return problem(Problem::Corrupt, QStringLiteral("the archive is corrupt: its header checksum does not match"));
    const qint64 payloadBytes = header.value(QLatin1String("payloadBytes")).toInteger(-1);
    if (payloadBytes < 0)
        return problem(Problem::Corrupt, QStringLiteral("the archive is corrupt: its header has no payload size"));
    const bool isSigned = header.value(QLatin1String("signature")).toString() == kMacName;
    if (header.contains(QLatin1String("signature")) && !isSigned)
        return problem(Problem::Unsupported, QStringLiteral("the archive is signed with \"%1\"; this program knows only %2")
                                                 .arg(header.value(QLatin1String("signature")).toString().left(40), kMacName));
    const qint64 macBytes = isSigned ? kMacLineSize : 0;
    const qint64 expected = eol + 1 + payloadBytes + kTrailerSize + macBytes;
    if (bytes.size() < expected)
        return problem(Problem::Truncated, QStringLiteral("the archive is truncated: %1 of %2 bytes present").arg(bytes.size()).arg(expected));
    if (bytes.size() > expected)
        return problem(Problem::Corrupt, QStringLiteral("the archive is corrupt: %1 bytes where %2 were written").arg(bytes.size()).arg(expected));
    const QByteArray macLine = bytes.right(macBytes);
    const QByteArray trailer = bytes.mid(bytes.size() - macBytes - kTrailerSize, kTrailerSize);
    const QByteArray body = bytes.left(bytes.size() - macBytes - kTrailerSize);
    if (!trailer.startsWith(kTrailerTag) || !trailer.endsWith('\n'))
        return problem(Problem::Corrupt, QStringLiteral("the archive is corrupt: its closing checksum line is damaged"));
    if (trailer.mid(kTrailerTag.size(), 64) != sha256Hex(body).toLatin1())
        return problem(Problem::Corrupt, QStringLiteral("the archive is corrupt: its SHA-256 does not match the content "
                                                        "(a byte was changed after it was written)"));
    if (isSigned && (!macLine.startsWith(kMacTag) || !macLine.endsWith('\n')))
        return problem(Problem::Corrupt, QStringLiteral("the archive is corrupt: its signature line is damaged"));
    const int version = header.value(QLatin1String("formatVersion")).toInt();
    if (version > kFormatVersion)
        return problem(Problem::Unsupported, QStringLiteral("the archive has format version %1; this program reads versions %2 to %3 "
                                                            "(use a newer cse-server)")
                                                 .arg(version).arg(kOldestFormatVersion).arg(kFormatVersion));
    if (version < kOldestFormatVersion)
        return problem(Problem::Unsupported, QStringLiteral("the archive has format version %1; this program reads versions %2 to %3")
                                                 .arg(version).arg(kOldestFormatVersion).arg(kFormatVersion));
    return Parsed{header, bytes.left(eol + 1), bytes.mid(eol + 1, payloadBytes), bytes.left(bytes.size() - macBytes),
                  isSigned ? macLine.mid(kMacTag.size(), 64) : QByteArray()};
}
} // namespace

QString sha256Hex(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

QString problemCode(Problem p)
{
    switch (p) {
    case Problem::None: return {};
    case Problem::Truncated: return QStringLiteral("ARCHIVE_TRUNCATED");
    case Problem::Corrupt: return QStringLiteral("ARCHIVE_CORRUPT");
    case Problem::WrongPassphrase: return QStringLiteral("ARCHIVE_WRONG_PASSPHRASE");
    case Problem::NeedsPassphrase: return QStringLiteral("ARCHIVE_NEEDS_PASSPHRASE");
    case Problem::Unsupported: return QStringLiteral("ARCHIVE_UNSUPPORTED");
    case Problem::Io: return QStringLiteral("ARCHIVE_IO");
    case Problem::NotAuthentic: return QStringLiteral("ARCHIVE_NOT_AUTHENTIC");
    }
    return {};
}

Problem problemOf(const Error &e)
{
    for (Problem p : {Problem::Truncated, Problem::Corrupt, Problem::WrongPassphrase, Problem::NeedsPassphrase, Problem::Unsupported,
                      Problem::Io, Problem::NotAuthentic})
        if (e.minorErrorCode == problemCode(p))
            return p;
    return Problem::None;
}

// ---- entries and manifest ----

QString Entry::name() const
{
    return QStringLiteral("%1/%2/%3/%4").arg(kind, entity.org.name, entity.name, entity.id);
}

QJsonObject Entry::toJson() const
{
    QJsonObject e = entity.toJson();
    return QJsonObject{{QStringLiteral("kind"), kind}, {QStringLiteral("etag"), entity.etag}, {QStringLiteral("definedEntity"), e}};
}

Result<Entry> Entry::fromJson(const QJsonObject &o)
{
    Entry e;
    e.kind = o.value(QLatin1String("kind")).toString();
    e.entity = rde::DefinedEntity::fromJson(o.value(QLatin1String("definedEntity")).toObject(), o.value(QLatin1String("etag")).toString());
    if (e.kind.isEmpty() || e.entity.id.isEmpty() || e.entity.entityType.isEmpty())
        return problem(Problem::Corrupt, QStringLiteral("the archive is corrupt: an entry has no kind, id or type"));
    return e;
}

QJsonObject Manifest::toJson() const
{
    QJsonObject c;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        c.insert(it.key(), it.value());
    QJsonArray digests;
    for (const auto &[name, sha] : entryDigests)
        digests.append(QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("sha256"), sha}});
    return {{QStringLiteral("formatVersion"), formatVersion}, {QStringLiteral("site"), site}, {QStringLiteral("createdAt"), createdAt},
            {QStringLiteral("createdBy"), createdBy}, {QStringLiteral("tool"), tool},
            {QStringLiteral("includesSecrets"), includesSecrets}, {QStringLiteral("counts"), c},
            {QStringLiteral("entries"), digests}, {QStringLiteral("entriesSha256"), entriesSha256}};
}

Manifest Manifest::fromJson(const QJsonObject &o)
{
    Manifest m;
    m.formatVersion = o.value(QLatin1String("formatVersion")).toInt();
    m.site = o.value(QLatin1String("site")).toString();
    m.createdAt = o.value(QLatin1String("createdAt")).toString();
    m.createdBy = o.value(QLatin1String("createdBy")).toString();
    m.tool = o.value(QLatin1String("tool")).toString();
    m.includesSecrets = o.value(QLatin1String("includesSecrets")).toBool();
    const QJsonObject c = o.value(QLatin1String("counts")).toObject();
    for (auto it = c.begin(); it != c.end(); ++it)
        m.counts.insert(it.key(), it.value().toInt());
    for (const QJsonValue &v : o.value(QLatin1String("entries")).toArray())
        m.entryDigests.append({v.toObject().value(QLatin1String("name")).toString(), v.toObject().value(QLatin1String("sha256")).toString()});
    m.entriesSha256 = o.value(QLatin1String("entriesSha256")).toString();
    return m;
}

QString Manifest::summary() const
{
    return QStringLiteral("%1 cluster(s), %2 configuration(s), %3 server instance(s) from %4 taken %5 by %6%7")
        .arg(counts.value(kind::kCluster)).arg(counts.value(kind::kConfig)).arg(counts.value(kind::kServerInstance))
        .arg(site, createdAt, createdBy, includesSecrets ? QStringLiteral(", with secure fields (encrypted)") : QString());
}

void Archive::seal()
{
    manifest.counts.clear();
    manifest.entryDigests.clear();
    QByteArray all;
    for (const Entry &e : std::as_const(entries)) {
        manifest.counts[e.kind] += 1;
        const QString sha = sha256Hex(json::canonical(e.toJson()));
        manifest.entryDigests.append({e.name(), sha});
        all += sha.toLatin1();
    }
    manifest.entriesSha256 = sha256Hex(all);
}

QList<const Entry *> Archive::ofKind(const QString &k) const
{
    QList<const Entry *> out;
    for (const Entry &e : entries)
        if (e.kind == k)
            out.append(&e);
    return out;
}

// ---- encode / decode ----

QString authenticityText(Authenticity a)
{
    switch (a) {
    case Authenticity::Passphrase:
        return QStringLiteral("authentic: encrypted, and its authentication tag under the passphrase holds for header, manifest "
                              "and entries");
    case Authenticity::Key:
        return QStringLiteral("authentic: its HMAC-SHA256 under the key file holds for header, manifest and entries");
    case Authenticity::Unchecked:
        return QStringLiteral("not authenticated: the archive is signed, but no --key-file was given, so its HMAC was not checked");
    case Authenticity::None: break;
    }
    return QStringLiteral("not authenticated: a plain, unsigned archive; its checksums catch accidental damage, not a "
                          "deliberate change (sign with --key-file to detect that)");
}

Result<QByteArray> readKeyFile(const QString &path)
{
    auto key = vcd::ConnectionOptions::readSecretFile(path);
    if (!key)
        return key.error();
    const QByteArray bytes = key->toUtf8();
    if (bytes.size() < kMinKeyBytes)
        return makeError(ErrorKind::Invalid, QStringLiteral("the key file %1 holds %2 bytes; a signing key needs at least %3 "
                                                            "(e.g. `openssl rand -hex 32 > %1`)")
                                                 .arg(path).arg(bytes.size()).arg(kMinKeyBytes));
    return bytes;
}

Result<QByteArray> encode(const Archive &archive, const std::optional<QString> &passphrase, const std::optional<QByteArray> &signingKey)
{
    const KdfParams kdf = kWriterKdf;
    if (archive.manifest.includesSecrets && (!passphrase || passphrase->isEmpty()))
        return makeError(ErrorKind::Invalid, QStringLiteral("an archive with secure fields must be encrypted: a passphrase is required"));
    QJsonArray entries;
    for (const Entry &e : archive.entries)
        entries.append(e.toJson());
    const QByteArray plain = json::canonical(QJsonObject{{QStringLiteral("manifest"), archive.manifest.toJson()},
                                                         {QStringLiteral("entries"), entries}});
    const bool encrypted = passphrase.has_value() && !passphrase->isEmpty();
    QJsonObject header{{QStringLiteral("formatVersion"), kFormatVersion},
                       {QStringLiteral("encrypted"), encrypted},
                       {QStringLiteral("site"), archive.manifest.site},
                       {QStringLiteral("createdAt"), archive.manifest.createdAt},
                       {QStringLiteral("summary"), archive.manifest.summary()}};
    QByteArray salt, iv;
    if (encrypted) {
        salt.resize(kSaltBytes);
        iv.resize(kIvBytes);
        if (RAND_bytes(reinterpret_cast<unsigned char *>(salt.data()), kSaltBytes) != 1
            || RAND_bytes(reinterpret_cast<unsigned char *>(iv.data()), kIvBytes) != 1)
            return makeError(QStringLiteral("no random bytes for the salt and IV"));
        header.insert(QStringLiteral("cipher"), QStringLiteral("AES-256-GCM"));
        header.insert(QStringLiteral("kdf"), QJsonObject{{QStringLiteral("name"), QStringLiteral("scrypt")},
                                                         {QStringLiteral("logN"), kdf.logN}, {QStringLiteral("r"), kdf.r},
                                                         {QStringLiteral("p"), kdf.p},
                                                         {QStringLiteral("salt"), QString::fromLatin1(salt.toBase64())}});
        header.insert(QStringLiteral("iv"), QString::fromLatin1(iv.toBase64()));
        header.insert(QStringLiteral("payloadBytes"), qint64(plain.size() + kTagBytes));
    } else {
        header.insert(QStringLiteral("payloadBytes"), qint64(plain.size()));
    }
    const bool sign = !encrypted && signingKey && !signingKey->isEmpty();
    if (sign)
        header.insert(QStringLiteral("signature"), kMacName);
    header.insert(QStringLiteral("check"), QString::fromLatin1(headerCheck(header)));
    const QByteArray headerLine = kMagic + json::canonical(header) + '\n';
    QByteArray payload = plain;
    if (encrypted) {
        auto key = deriveKey(*passphrase, salt, kdf);
        if (!key)
            return key.error();
        auto sealed = seal(*key, iv, headerLine, plain);
        if (!sealed)
            return sealed.error();
        payload = *sealed;
    }
    QByteArray out = headerLine + payload;
    out += kTrailerTag + sha256Hex(out).toLatin1() + '\n';
    if (sign)
        out += kMacTag + hmacSha256(*signingKey, out) + '\n';
    return out;
}

Result<QJsonObject> inspect(const QByteArray &bytes)
{
    auto parsed = verify(bytes);
    if (!parsed)
        return parsed.error();
    return parsed->header;
}

Result<Archive> decode(const QByteArray &bytes, const std::function<Result<QString>()> &getPassphrase,
                       const std::optional<QByteArray> &key)
{
    auto parsed = verify(bytes);
    if (!parsed)
        return parsed.error();
    QByteArray plain = parsed->payload;
    Authenticity authenticity = Authenticity::None;
    const bool encrypted = parsed->header.value(QLatin1String("encrypted")).toBool();
    if (!encrypted && key) {
        if (parsed->mac.isEmpty())
            return problem(Problem::NotAuthentic, QStringLiteral("not authentic: the archive is not signed, so the key file cannot "
                                                                 "vouch for it (an unsigned copy, or its signature was removed)"));
        // Constant-time compare: nothing about the expected MAC leaks through timing.
        const QByteArray expected = hmacSha256(*key, parsed->signedBytes);
        if (CRYPTO_memcmp(expected.constData(), parsed->mac.constData(), size_t(expected.size())) != 0)
            return problem(Problem::NotAuthentic, QStringLiteral("not authentic: the archive's HMAC-SHA256 does not match under this "
                                                                 "key file (a different key, or the archive was changed after it "
                                                                 "was signed); nothing in it can be trusted"));
        authenticity = Authenticity::Key;
    } else if (!encrypted && !parsed->mac.isEmpty()) {
        authenticity = Authenticity::Unchecked;
    }
    if (encrypted) {
        // The cost first: a forged header must not make us derive at any other cost.
        const QJsonObject kdfJson = parsed->header.value(QLatin1String("kdf")).toObject();
        KdfParams kdf;
        kdf.logN = kdfJson.value(QLatin1String("logN")).toInt();
        kdf.r = kdfJson.value(QLatin1String("r")).toInt();
        kdf.p = kdfJson.value(QLatin1String("p")).toInt();
        if (kdfJson.value(QLatin1String("name")).toString() != QLatin1String("scrypt") || !(kdf == kWriterKdf)
            || parsed->header.value(QLatin1String("cipher")).toString() != QLatin1String("AES-256-GCM"))
            return problem(Problem::Unsupported, QStringLiteral("the archive names a cipher or key derivation cost this program does not "
                                                                "write (it writes AES-256-GCM with scrypt logN %1, r %2, p %3); "
                                                                "refused before deriving any key")
                                                     .arg(kWriterKdf.logN).arg(kWriterKdf.r).arg(kWriterKdf.p));
        if (!getPassphrase)
            return problem(Problem::NeedsPassphrase, QStringLiteral("the archive is encrypted: a passphrase is needed"));
        auto pass = getPassphrase();
        if (!pass) {
            Error e = pass.error();
            if (e.minorErrorCode.isEmpty())
                e.minorErrorCode = problemCode(Problem::NeedsPassphrase);
            return e;
        }
        const QByteArray salt = QByteArray::fromBase64(kdfJson.value(QLatin1String("salt")).toString().toLatin1());
        const QByteArray iv = QByteArray::fromBase64(parsed->header.value(QLatin1String("iv")).toString().toLatin1());
        auto key = deriveKey(*pass, salt, kdf);
        if (!key)
            return key.error();
        auto opened = open(*key, iv, parsed->headerLine, parsed->payload);
        if (!opened)
            return problem(Problem::WrongPassphrase, QStringLiteral("wrong passphrase, or the archive was changed after it was written: "
                                                                    "its authentication tag does not hold under this passphrase "
                                                                    "(the checksums cannot tell these apart); nothing was read from it"));
        plain = *opened;
        authenticity = Authenticity::Passphrase;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(plain, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return problem(Problem::Corrupt, QStringLiteral("the archive is corrupt: its content is not valid JSON"));
    Archive a;
    a.manifest = Manifest::fromJson(doc.object().value(QLatin1String("manifest")).toObject());
    // Every entry against its recorded digest (over the bytes as stored), and the list against the total.
    const QJsonArray raw = doc.object().value(QLatin1String("entries")).toArray();
    const Manifest recorded = a.manifest;
    if (raw.size() != recorded.entryDigests.size())
        return problem(Problem::Corrupt, QStringLiteral("the archive is corrupt: the manifest lists %1 entries, %2 are present")
                                             .arg(recorded.entryDigests.size()).arg(raw.size()));
    QByteArray all;
    for (int i = 0; i < raw.size(); ++i) {
        const QString sha = sha256Hex(json::canonical(raw[i].toObject()));
        if (sha != recorded.entryDigests[i].second)
            return problem(Problem::Corrupt, QStringLiteral("the archive is corrupt: entry %1 does not match its SHA-256")
                                                 .arg(recorded.entryDigests[i].first));
        all += sha.toLatin1();
        auto e = Entry::fromJson(raw[i].toObject());
        if (!e)
            return e.error();
        a.entries.append(*e);
    }
    if (recorded.entriesSha256 != sha256Hex(all))
        return problem(Problem::Corrupt, QStringLiteral("the archive is corrupt: the manifest's total SHA-256 does not match"));
    a.manifest = recorded;
    a.authenticity = authenticity;
    return a;
}

Result<void> writeFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        Error e = makeError(ErrorKind::Invalid, QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
        e.minorErrorCode = problemCode(Problem::Io);
        return e;
    }
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    f.write(bytes);
    if (!f.commit()) {
        Error e = makeError(ErrorKind::Invalid, QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
        e.minorErrorCode = problemCode(Problem::Io);
        return e;
    }
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return {};
}

Result<QByteArray> readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        Error e = makeError(ErrorKind::Invalid, QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
        e.minorErrorCode = problemCode(Problem::Io);
        return e;
    }
    return f.readAll();
}

} // namespace cse::backup
