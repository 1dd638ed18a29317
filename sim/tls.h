// Self-signed certificate for vcd-sim, made with OpenSSL on first start and
// kept beside the database.
#pragma once

#include "core/result.h"

#include <QSslCertificate>
#include <QSslKey>

namespace cse::sim {

struct TlsIdentity
{
    QSslCertificate certificate;
    QSslKey key;
    QString fingerprint() const; // SHA-256, upper-case hex pairs joined by ':'
};

// Loads DIR/tls-cert.pem and DIR/tls-key.pem, creating them when missing.
Result<TlsIdentity> ensureTlsIdentity(const QString &dir);

} // namespace cse::sim
