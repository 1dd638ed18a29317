// SHA-256 certificate fingerprints as people read them: "AB:CD:...".
#pragma once

#include <QByteArray>
#include <QSslCertificate>
#include <QString>

namespace cse::vcd {

QString formatFingerprint(const QByteArray &digest);
QString fingerprintOf(const QSslCertificate &cert);
// Accepts "AB:CD:..", "abcd..", with or without a "sha256:" prefix; empty on error.
QByteArray parseFingerprint(const QString &text);

} // namespace cse::vcd
