// How to reach and authenticate to a VCD: parsed in one place for every
// command-line mode (server, install, backup, restore, ...).
#pragma once

#include "core/result.h"

#include <QString>
#include <QUrl>

class QCommandLineParser;

namespace cse::vcd {

struct ConnectionOptions
{
    QUrl url;                 // https://vcd.example.com
    QString org;              // "System" for provider users
    QString user;             // with password; empty with an API token
    QString password;         // secret: never logged
    QString apiToken;         // secret: never logged
    QString caFile;           // extra trusted CA (PEM)
    QString fingerprint;      // pinned SHA-256 of the server certificate
    QString tenantContext;    // org id to act in (provider users)
    QString tenantContextName; // its name (X-VMWARE-VCLOUD-AUTH-CONTEXT), when known
    QString clientId = QStringLiteral("cse-console"); // sent as X-CSE-CLIENT-ID
    int timeoutMs = 30000;
    int maxConcurrent = 8;
    int maxRetries = 4;
    int retryBaseMs = 200;

    bool isProvider() const { return org.compare(QLatin1String("system"), Qt::CaseInsensitive) == 0; }
    bool usesApiToken() const { return !apiToken.isEmpty(); }
    Result<void> validate() const;

    // --vcd --org --user --password-file --token-file --ca --fingerprint
    static void addOptions(QCommandLineParser &parser);
    // Reads the options, then CSE_VCD_* environment variables for what is missing.
    static Result<ConnectionOptions> fromParser(const QCommandLineParser &parser);
    // A URL as an operator typed it (option, environment, profile): refuses
    // one without a scheme and one with credentials in it (user:secret@host),
    // and never repeats the credentials in its message.
    static Result<QUrl> parseUrl(const QString &text);
    // The message for a URL with credentials in it (for views that check a URL themselves).
    static QString credentialsInUrlMessage();
    // Secret files must be private (mode 0600 or stricter) unless allowLoose.
    static Result<QString> readSecretFile(const QString &path, bool allowLoose = false);
};

} // namespace cse::vcd
