#pragma once
// The settings of nnlab train: the TrainConfig that decides the run's result, and what the
// command does around it (where the data is and the output goes, what it shows and saves).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "nnlab/data/image_folder.h"
#include "nnlab/data/table_dataset.h"
#include "nnlab/train/train_config.h"

namespace nnlab::cli {

struct TrainSettings {
  TrainConfig config;
  std::string data;
  TableOptions table;         // for CSV data: the target column, the task, the test split
  ImageFolderOptions images;  // for image folders: the size and channels (the test split is table's)
  std::string image_size;     // --image-size HxW, empty: the first image's
  std::string out = "runs/train";
  std::string save;
  std::string progress = "auto";
  bool monitor = false;  // record statistics inside the network (diagnostics::Monitor)
  int64_t monitor_every = 10;
  int checkpoint_every = 1;     // epochs between checkpoints in OUT (0: only when interrupted)
  bool sync_batchnorm = false;  // under mpirun: BatchNorm statistics over all ranks' shards
  std::string resume;           // a run's folder to continue
  bool dry_run = false;         // print the settings as JSON and stop
  bool overwrite = false;       // replace a run in `out`
  bool out_given = false;       // --out was given (else a new run picks a free folder beside the default)
  std::set<std::string> given;  // the flags given on the command line (the data's hints fill the others)
};

// The settings as JSON (a checkpoint keeps them, so that --resume rebuilds the same run)
// and back; from_json throws UsageError naming a bad field.
nlohmann::json train_settings_json(const TrainSettings& s);
TrainSettings train_settings_from_json(const nlohmann::json& j);

}  // namespace nnlab::cli
