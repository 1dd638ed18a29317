// Where a backup passphrase comes from: a file (mode 0600 or stricter), the
// environment variable CSE_BACKUP_PASSPHRASE, or a prompt without echo when
// stdin is a terminal. Never the command line.
#pragma once

#include "core/result.h"

#include <QString>

namespace cse::backup {

inline constexpr const char *kPassphraseEnv = "CSE_BACKUP_PASSPHRASE";
inline constexpr int kMinPassphraseLength = 8;

struct PassphraseSource
{
    QString file;          // --passphrase-file
    bool confirm = false;  // prompt twice (for a new archive)
};

Result<QString> readPassphrase(const PassphraseSource &source);

} // namespace cse::backup
