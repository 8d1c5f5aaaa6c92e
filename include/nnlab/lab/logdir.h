#pragma once
// The runs in a log folder, as `nnlab lab --logdir` lists them: every subfolder that holds a
// history.json (a finished run of nnlab train or of the lab) or a progress.jsonl (one that is
// training, or was stopped), with its settings and its last figures; and the progress of one run
// from a byte offset on, for a page that follows it as it trains.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace nnlab::lab {

// [{"name", "settings", "last" (the last epoch's record), "epochs", "test", "live", "modified"}],
// the most recently changed first. A folder whose files cannot be read is listed with "error".
nlohmann::json list_logdir(const std::string& logdir);

// The complete lines of FOLDER/progress.jsonl from byte `offset` on: {"lines": [...], "offset":
// where to read next}; a run without one gives its history.json's epochs ({"lines", "offset": -1,
// "complete": true}). Throws std::invalid_argument for a name that is not a plain folder name of
// the log folder, or a folder that holds no run.
nlohmann::json read_progress(const std::string& logdir, const std::string& name, int64_t offset);

}  // namespace nnlab::lab
