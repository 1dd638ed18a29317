#include "tls.h"

#include "vcd/fingerprint.h"

#include <QDir>
#include <QFile>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace cse::sim {

namespace {

template<typename T, void (*F)(T *)>
struct Deleter
{
    void operator()(T *p) const { F(p); }
};
using PKey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(n));
}

bool addExtension(X509 *cert, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext)
        return false;
    const bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

Result<void> generate(const QString &certPath, const QString &keyPath)
{
    PKey key(EVP_RSA_gen(2048));
    if (!key)
        return makeError(QStringLiteral("OpenSSL could not generate an RSA key"));
    Cert cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), long(QDateTime::currentSecsSinceEpoch()));
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char *>("vcd-sim"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>("localhost"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    if (!addExtension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1")
        || !addExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE"))
        return makeError(QStringLiteral("OpenSSL could not add certificate extensions"));
    if (!X509_sign(cert.get(), key.get(), EVP_sha256()))
        return makeError(QStringLiteral("OpenSSL could not sign the certificate"));

    Bio certBio(BIO_new(BIO_s_mem())), keyBio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(certBio.get(), cert.get());
    PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);

    QFile k(keyPath);
    if (!k.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return makeError(QStringLiteral("cannot write %1: %2").arg(keyPath, k.errorString()));
    k.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    k.write(bioBytes(keyBio.get()));
    k.close();
    QFile c(certPath);
    if (!c.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return makeError(QStringLiteral("cannot write %1: %2").arg(certPath, c.errorString()));
    c.write(bioBytes(certBio.get()));
    return {};
}

} // namespace

QString TlsIdentity::fingerprint() const
{
    return vcd::fingerprintOf(certificate);
}

Result<TlsIdentity> ensureTlsIdentity(const QString &dir)
{
    const QString certPath = QDir(dir).filePath(QStringLiteral("tls-cert.pem"));
    const QString keyPath = QDir(dir).filePath(QStringLiteral("tls-key.pem"));
    if (!QFile::exists(certPath) || !QFile::exists(keyPath)) {
        if (auto r = generate(certPath, keyPath); !r)
            return r.error();
    }
    QFile c(certPath), k(keyPath);
    if (!c.open(QIODevice::ReadOnly) || !k.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("cannot read the TLS certificate or key in %1").arg(dir));
    TlsIdentity id{QSslCertificate(c.readAll(), QSsl::Pem), QSslKey(k.readAll(), QSsl::Rsa, QSsl::Pem)};
    if (id.certificate.isNull() || id.key.isNull())
        return makeError(QStringLiteral("%1 or %2 is not a valid PEM certificate/RSA key; delete both to regenerate")
                             .arg(certPath, keyPath));
    return id;
}

} // namespace cse::sim
