#include "model_data.h"

#include "commands.h"

namespace nnlab::cli {

ModelData model_data(const LoadedModel& loaded, const std::string& path) {
  ModelData data;
  const auto it = loaded.metadata.find("nnlab.data");
  if (it == loaded.metadata.end()) return data;
  try {
    const nlohmann::json j = nlohmann::json::parse(it->second);
    data.kind = j.at("kind").get<std::string>();
    data.name = j.at("name").get<std::string>();
    if (j.contains("classes")) data.classes = j.at("classes").get<std::vector<std::string>>();
    if (data.kind == "table") data.schema = TableSchema::from_json(j.at("schema"));
    data.description = j;
  } catch (const nlohmann::json::exception& e) {
    throw UsageError("model " + path + ": damaged nnlab.data: " + e.what());
  } catch (const std::invalid_argument& e) {
    throw UsageError("model " + path + ": damaged nnlab.data: " + e.what());
  }
  return data;
}

}  // namespace nnlab::cli
