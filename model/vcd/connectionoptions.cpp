#include "connectionoptions.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace cse::vcd {

namespace {
// The authority part of what was typed ("user:pw@host:port" of "https://user:pw@host:port/x"):
// read from the text itself, because QUrl drops or re-encodes what it cannot parse.
QString authorityOf(const QString &text)
{
    const qsizetype scheme = text.indexOf(QLatin1String("://"));
    QString rest = scheme < 0 ? text : text.mid(scheme + 3);
    const qsizetype end = rest.indexOf(QRegularExpression(QStringLiteral("[/?#]")));
    return end < 0 ? rest : rest.left(end);
}
} // namespace

QString ConnectionOptions::credentialsInUrlMessage()
{
    return QStringLiteral("the VCD URL has a user name or password in it (NAME:PASSWORD@HOST); credentials are never taken from a URL, "
                          "which lands in logs, shell history and process lists: give the URL as https://HOST[:PORT] and the "
                          "credentials with --user and --password-file, or --token-file (or CSE_VCD_USER with CSE_VCD_PASSWORD, "
                          "or CSE_VCD_API_TOKEN)");
}

Result<QUrl> ConnectionOptions::parseUrl(const QString &typed)
{
    const QString text = typed.trimmed();
    if (authorityOf(text).contains(QLatin1Char('@')))
        return makeError(ErrorKind::Invalid, credentialsInUrlMessage());
    if (!text.isEmpty() && !text.contains(QLatin1String("://")))
        return makeError(ErrorKind::Invalid, QStringLiteral("the VCD URL \"%1\" has no scheme; a scheme is needed: use https://HOST[:PORT], "
                                                            "here https://%1 (or http://%1 for a plain-HTTP server)").arg(text));
    const QUrl url(text);
    if (!text.isEmpty() && !url.isValid())
        return makeError(ErrorKind::Invalid, QStringLiteral("the VCD URL \"%1\" is not valid (%2); use https://HOST[:PORT]")
                                                 .arg(text, url.errorString()));
    if (!url.userInfo().isEmpty())
        return makeError(ErrorKind::Invalid, credentialsInUrlMessage());
    return url;
}

Result<void> ConnectionOptions::validate() const
{
    if (!url.userInfo().isEmpty())
        return makeError(ErrorKind::Invalid, credentialsInUrlMessage());
    if (!url.isValid() || url.host().isEmpty() || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))) {
        return makeError(ErrorKind::Invalid, QStringLiteral("the VCD URL \"%1\" is not valid; use https://HOST[:PORT]")
                                                 .arg(url.toDisplayString(QUrl::RemoveUserInfo)));
    }
    if (org.isEmpty())
        return makeError(ErrorKind::Invalid, QStringLiteral("no organization given (--org or CSE_VCD_ORG; \"System\" for provider users)"));
    if (apiToken.isEmpty() && (user.isEmpty() || password.isEmpty()))
        return makeError(ErrorKind::Invalid, QStringLiteral("no credentials: give --token-file (or CSE_VCD_API_TOKEN), or --user with "
                                        "--password-file (or CSE_VCD_PASSWORD)"));
    if (!apiToken.isEmpty() && !user.isEmpty() && !password.isEmpty())
        return makeError(ErrorKind::Invalid, QStringLiteral("give either an API token or a user and password, not both"));
    if (!caFile.isEmpty() && !QFileInfo::exists(caFile))
        return makeError(ErrorKind::Invalid, QStringLiteral("the CA file %1 does not exist").arg(caFile));
    if (timeoutMs < 100 || maxConcurrent < 1 || maxRetries < 0)
        return makeError(ErrorKind::Invalid, QStringLiteral("timeout, concurrency and retry limits must be positive"));
    return {};
}

void ConnectionOptions::addOptions(QCommandLineParser &p)
{
    p.addOption({QStringLiteral("vcd"), QStringLiteral("VCD URL, e.g. https://vcd.example.com (env CSE_VCD_URL)."), QStringLiteral("URL")});
    p.addOption({QStringLiteral("org"), QStringLiteral("Organization; System for provider users (env CSE_VCD_ORG)."), QStringLiteral("ORG")});
    p.addOption({QStringLiteral("user"), QStringLiteral("User name for password login (env CSE_VCD_USER)."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("password-file"), QStringLiteral("File holding the password (mode 0600; env CSE_VCD_PASSWORD)."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("token-file"), QStringLiteral("File holding an API token (mode 0600; env CSE_VCD_API_TOKEN)."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("ca"), QStringLiteral("Extra CA certificate (PEM) to trust."), QStringLiteral("FILE")});
    p.addOption({QStringLiteral("fingerprint"), QStringLiteral("Pinned SHA-256 fingerprint of the VCD certificate (env CSE_VCD_FINGERPRINT)."),
                 QStringLiteral("SHA256")});
    // Present only to refuse them with a clear message.
    QCommandLineOption password(QStringLiteral("password"), QStringLiteral("Refused: use --password-file."), QStringLiteral("SECRET"));
    password.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption token(QStringLiteral("token"), QStringLiteral("Refused: use --token-file."), QStringLiteral("SECRET"));
    token.setFlags(QCommandLineOption::HiddenFromHelp);
    p.addOption(password);
    p.addOption(token);
}

Result<QString> ConnectionOptions::readSecretFile(const QString &path, bool allowLoose)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Invalid, QStringLiteral("cannot read secret file %1: %2").arg(path, f.errorString()));
    const auto perms = f.permissions();
    if (!allowLoose && (perms & (QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther | QFileDevice::WriteOther)))
        return makeError(ErrorKind::Invalid, QStringLiteral("secret file %1 is readable by others; run `chmod 600 %1`").arg(path));
    const QString secret = QString::fromUtf8(f.readAll()).trimmed();
    if (secret.isEmpty())
        return makeError(ErrorKind::Invalid, QStringLiteral("secret file %1 is empty").arg(path));
    return secret;
}

Result<ConnectionOptions> ConnectionOptions::fromParser(const QCommandLineParser &p)
{
    if (p.isSet(QStringLiteral("password")) || p.isSet(QStringLiteral("token")))
        return makeError(ErrorKind::Invalid, QStringLiteral("secrets are not accepted as command-line values (they leak into process lists); "
                                        "use --password-file/--token-file or CSE_VCD_PASSWORD/CSE_VCD_API_TOKEN"));
    auto pick = [&p](const char *option, const char *env) {
        const QString v = p.value(QString::fromLatin1(option));
        return v.isEmpty() ? qEnvironmentVariable(env) : v;
    };
    ConnectionOptions o;
    auto url = parseUrl(pick("vcd", "CSE_VCD_URL"));
    if (!url)
        return url.error();
    o.url = *url;
    o.org = pick("org", "CSE_VCD_ORG");
    o.user = pick("user", "CSE_VCD_USER");
    o.caFile = p.value(QStringLiteral("ca"));
    o.fingerprint = pick("fingerprint", "CSE_VCD_FINGERPRINT");
    if (p.isSet(QStringLiteral("password-file"))) {
        auto s = readSecretFile(p.value(QStringLiteral("password-file")));
        if (!s)
            return s.error();
        o.password = *s;
    } else {
        o.password = qEnvironmentVariable("CSE_VCD_PASSWORD");
    }
    if (p.isSet(QStringLiteral("token-file"))) {
        auto s = readSecretFile(p.value(QStringLiteral("token-file")));
        if (!s)
            return s.error();
        o.apiToken = *s;
    } else if (o.password.isEmpty()) {
        o.apiToken = qEnvironmentVariable("CSE_VCD_API_TOKEN");
    }
    if (auto v = o.validate(); !v)
        return v.error();
    return o;
}

} // namespace cse::vcd
