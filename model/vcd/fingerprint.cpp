#include "fingerprint.h"

#include <QCryptographicHash>
#include <QStringList>

namespace cse::vcd {

QString formatFingerprint(const QByteArray &digest)
{
    QStringList parts;
    for (char b : digest)
        parts << QStringLiteral("%1").arg(uchar(b), 2, 16, QLatin1Char('0')).toUpper();
    return parts.join(QLatin1Char(':'));
}

QString fingerprintOf(const QSslCertificate &cert)
{
    return formatFingerprint(cert.digest(QCryptographicHash::Sha256));
}

QByteArray parseFingerprint(const QString &text)
{
    QString t = text.trimmed();
    if (t.startsWith(QLatin1String("sha256:"), Qt::CaseInsensitive))
        t = t.mid(7);
    t.remove(QLatin1Char(':'));
    t.remove(QLatin1Char(' '));
    const QByteArray raw = QByteArray::fromHex(t.toLatin1());
    if (raw.size() != 32 || raw.toHex().compare(t.toLatin1(), Qt::CaseInsensitive) != 0)
        return {};
    return raw;
}

} // namespace cse::vcd
