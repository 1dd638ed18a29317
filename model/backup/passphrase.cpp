#include "passphrase.h"

#include "vcd/connectionoptions.h"

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace cse::backup {

namespace {
Result<QString> prompt(const char *text)
{
    std::fputs(text, stderr);
    std::fflush(stderr);
    termios old{};
    const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    QByteArray line;
    for (int c = std::fgetc(stdin); c != EOF && c != '\n'; c = std::fgetc(stdin))
        line.append(char(c));
    if (tty)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    std::fputs("\n", stderr);
    return QString::fromUtf8(line);
}

Result<QString> checked(const QString &pass, const QString &from)
{
    if (pass.size() < kMinPassphraseLength)
        return makeError(ErrorKind::Invalid, QStringLiteral("the passphrase from %1 is shorter than %2 characters").arg(from).arg(kMinPassphraseLength));
    return pass;
}
} // namespace

Result<QString> readPassphrase(const PassphraseSource &source)
{
    if (!source.file.isEmpty()) {
        auto s = vcd::ConnectionOptions::readSecretFile(source.file);
        if (!s)
            return s.error();
        return checked(*s, source.file);
    }
    const QString env = qEnvironmentVariable(kPassphraseEnv);
    if (!env.isEmpty())
        return checked(env, QString::fromLatin1(kPassphraseEnv));
    if (!isatty(STDIN_FILENO))
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("a passphrase is needed: give --passphrase-file FILE (mode 0600), set %1, or run on a "
                                        "terminal to be asked")
                             .arg(QString::fromLatin1(kPassphraseEnv)));
    auto first = prompt("Backup passphrase: ");
    if (!first)
        return first;
    if (source.confirm) {
        auto second = prompt("Repeat the passphrase: ");
        if (!second)
            return second;
        if (*first != *second)
            return makeError(ErrorKind::Invalid, QStringLiteral("the two passphrases differ"));
    }
    return checked(*first, QStringLiteral("the prompt"));
}

} // namespace cse::backup
