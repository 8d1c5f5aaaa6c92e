// Training on tables as a user would: the bundled classic datasets with their own defaults,
// a CSV of one's own (classification and regression, text features), eval on the model's own
// data, and bad CSVs refused with one line naming the file, line and column, exit 2.

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"
#include "nnlab/data/idx.h"
#include "nnlab/io/model_file.h"

namespace nnlab::test {

class CliTables : public CliRunner {
 protected:
  std::string write(const std::string& name, const std::string& text) const {
    const auto path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  // The number after `key` in `text` (NaN when absent).
  static double number_after(const std::string& text, const std::string& key) {
    const auto at = text.find(key);
    return at == std::string::npos ? NAN : std::stod(text.substr(at + key.size()));
  }
};

TEST_F(CliTables, IrisWithItsDefaultsAndEvalOnItsOwnData) {
  const auto out = dir_ / "iris";
  const CliResult r = run("train --data iris --threads 1 --progress quiet --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("3 classes of species (setosa, versicolor, virginica)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("settings for this data: --hidden 64,64 --batch-size 16 --epochs 200"), std::string::npos)
      << r.err;
  const double accuracy = number_after(r.out, "test accuracy ");
  EXPECT_GE(accuracy, 0.95) << r.out;
  const LoadedModel model = load_model((out / "model.safetensors").string());
  EXPECT_NE(model.metadata.at("nnlab.data").find("\"setosa\""), std::string::npos);
  // eval without --data: the same 30 test rows.
  const CliResult e = run("eval --threads 1 --model " + (out / "model.safetensors").string());
  ASSERT_EQ(e.code, 0) << e.err;
  EXPECT_DOUBLE_EQ(number_after(e.out, "test accuracy "), accuracy) << e.out;
  EXPECT_NE(e.out.find("/30)"), std::string::npos) << e.out;
  // predict: a row of each species, without the target column, in another column order.
  const std::string rows = write("flowers.csv",
                                 "petal_width,petal_length,sepal_width,sepal_length\n0.2,1.4,3.5,5.1\n1.3,4.5,2.8,6.0\n"
                                 "2.3,5.9,3.2,6.9\n");
  const CliResult p = run("predict --threads 1 --model " + (out / "model.safetensors").string() + " " + rows);
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_NE(p.out.find("flowers.csv:2  setosa ("), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("flowers.csv:3  versicolor ("), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("flowers.csv:4  virginica ("), std::string::npos) << p.out;
  const CliResult missing =
      run("predict --model " + (out / "model.safetensors").string() + " " + write("short.csv", "petal_width\n0.2\n"));
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("no column 'sepal_length', a feature the model was trained on"), std::string::npos)
      << missing.err;
}

TEST_F(CliTables, TheModelsOutputsMustMatchTheClasses) {
  // A spec of the wrong width is refused before training, saying what to end it with.
  const CliResult wrong =
      run("train --data iris --model linear:16,relu,linear:10 --progress quiet --out " + (dir_ / "w").string());
  EXPECT_EQ(wrong.code, 2);
  EXPECT_NE(wrong.err.find("gives 10 outputs, the data has 3 classes: end it with linear:3"), std::string::npos)
      << wrong.err;
  // A preset gets the data's class count (MNIST's ten otherwise): IDX images of 3 classes.
  const auto folder = dir_ / "three";
  std::filesystem::create_directories(folder);
  std::vector<uint8_t> pixels(30 * 12 * 12), labels(30);
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<uint8_t>(i * 7 % 256);
  for (size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<uint8_t>(i % 3);
  write_idx_u8((folder / "train-images-idx3-ubyte").string(), {30, 12, 12}, pixels);
  write_idx_u8((folder / "train-labels-idx1-ubyte").string(), {30}, labels);
  write_idx_u8((folder / "t10k-images-idx3-ubyte").string(), {30, 12, 12}, pixels);
  write_idx_u8((folder / "t10k-labels-idx1-ubyte").string(), {30}, labels);
  const CliResult preset = run("train --data " + folder.string() + " --model simple-cnn --iterations 2 --threads 1 " +
                               "--progress quiet --out " + (dir_ / "p").string());
  ASSERT_EQ(preset.code, 0) << preset.err;
  EXPECT_NE(preset.err.find("model: conv:30x5x5,relu,maxpool:2,linear:100,relu,linear:3 ("), std::string::npos)
      << preset.err;
}

TEST_F(CliTables, ToyDataWithItsDefaults) {
  const auto out = dir_ / "spirals";
  const CliResult r = run("train --data spirals --threads 1 --progress quiet --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("settings for this data: --hidden 64,64 --lr 0.01 --batch-size 16 --epochs 27"),
            std::string::npos)
      << r.err;
  EXPECT_GE(number_after(r.out, "test accuracy "), 0.95) << r.out;
  EXPECT_NE(r.out.find("on 250 points"), std::string::npos) << r.out;
  const CliResult e = run("eval --threads 1 --model " + (out / "model.safetensors").string());
  ASSERT_EQ(e.code, 0) << e.err;
  EXPECT_DOUBLE_EQ(number_after(e.out, "test accuracy "), number_after(r.out, "test accuracy ")) << e.out;
  // With another optimizer the rate hint stands aside (its own default rate).
  const CliResult sgd = run("train --data spirals --optimizer sgd --epochs 1 --threads 1 --progress quiet --out " +
                            (dir_ / "sgd").string());
  ASSERT_EQ(sgd.code, 0) << sgd.err;
  EXPECT_EQ(sgd.err.find("--lr"), std::string::npos) << sgd.err;
}

TEST_F(CliTables, DiabetesIsRegression) {
  const CliResult r = run("train --data diabetes --threads 1 --progress quiet --out " + (dir_ / "d").string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_GE(number_after(r.out, "test R² "), 0.45) << r.out;
  EXPECT_NE(r.out.find("(in progression's units) on 88 rows"), std::string::npos) << r.out;
}

TEST_F(CliTables, OwnCsvRegressionWithATextFeature) {
  // y = 3a − 2b + 5 (+1 for colour blue), on a ';'-separated file with a quoted header.
  std::string text = "\"a\";\"b\";colour;y\n";
  std::vector<double> ys;
  for (int i = 0; i < 400; ++i) {
    const double a = std::sin(i * 0.37) * 2, b = std::cos(i * 0.91);
    const bool blue = i % 3 == 0;
    ys.push_back(3 * a - 2 * b + 5 + (blue ? 1 : 0) + 0.25);
    text += std::to_string(a) + ";" + std::to_string(b) + ";" + (blue ? "blue" : "red") + ";" +
            std::to_string(ys.back()) + "\n";
  }
  const std::string csv = write("own.csv", text);
  const auto out = dir_ / "own";
  const CliResult r =
      run("train --data " + csv + " --target y --threads 1 --progress quiet --hidden 32 --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("3 features (4 inputs) → y (regression)"), std::string::npos) << r.err;
  EXPECT_GE(number_after(r.out, "test R² "), 0.95) << r.out;
  // Every row of the file, through the saved schema.
  const CliResult e = run("eval --threads 1 --model " + (out / "model.safetensors").string() + " --data " + csv);
  ASSERT_EQ(e.code, 0) << e.err;
  EXPECT_GE(number_after(e.out, "test R² "), 0.95) << e.out;
  EXPECT_NE(e.out.find("(400 rows)"), std::string::npos) << e.out;
  // predict gives values in y's units (y spans about 0 to 12): close to the truth on average.
  const CliResult p = run("predict --json --threads 1 --model " + (out / "model.safetensors").string() + " " + csv);
  ASSERT_EQ(p.code, 0) << p.err;
  const auto j = nlohmann::json::parse(p.out);
  ASSERT_EQ(j.at("predictions").size(), 400u);
  EXPECT_EQ(j["predictions"][0]["row"], csv + ":2");
  double error = 0;
  for (size_t i = 0; i < ys.size(); ++i) error += std::abs(j["predictions"][i]["value"].get<double>() - ys[i]);
  EXPECT_LT(error / 400, 0.5) << p.out.substr(0, 300);
  // The wrong loss for the data is refused before training.
  const CliResult wrong =
      run("train --data " + csv + " --loss cross-entropy --progress quiet --out " + (dir_ / "w").string());
  EXPECT_EQ(wrong.code, 2);
  EXPECT_NE(wrong.err.find("--loss cross-entropy needs classes"), std::string::npos) << wrong.err;
}

// --stream on reads the table from its file every epoch (as auto does for files of 512 MB or
// more): the model file says so, and eval reads the same test rows from the file again.
TEST_F(CliTables, AStreamedCsvTrainsAndEvalsOnTheSameTestRows) {
  std::string text = "x,y,label\n";
  for (int i = 0; i < 3000; ++i) {
    const double x = std::sin(i * 0.37) * 2, y = std::cos(i * 0.91);
    text += std::to_string(x) + "," + std::to_string(y) + "," + (x * y > 0 ? "same" : "apart") + "\n";
  }
  const std::string csv = write("quadrants.csv", text);
  const auto out = dir_ / "streamed";
  const CliResult r = run("train --data " + csv + " --stream on --hidden 32,32 --lr 0.01 --epochs 10 --threads 1 " +
                          "--progress quiet --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("2 classes of label (apart, same), streamed in 1 blocks"), std::string::npos) << r.err;
  const double accuracy = number_after(r.out, "test accuracy ");
  EXPECT_GE(accuracy, 0.95) << r.out;
  const LoadedModel model = load_model((out / "model.safetensors").string());
  EXPECT_NE(model.metadata.at("nnlab.data").find("\"stream\":true"), std::string::npos);
  const CliResult e = run("eval --threads 1 --model " + (out / "model.safetensors").string());
  ASSERT_EQ(e.code, 0) << e.err;
  EXPECT_DOUBLE_EQ(number_after(e.out, "test accuracy "), accuracy) << e.out;
  EXPECT_NE(e.out.find("streamed in"), std::string::npos) << e.out;
  // A bad row is found by the first reading, before any training.
  const CliResult bad = run("train --data " + write("bad.csv", text + "1,2\n") +
                            " --stream on --progress quiet --out " + (dir_ / "bad").string());
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("bad.csv:3002: 2 fields, the header has 3 (a ragged row)"), std::string::npos) << bad.err;
}

TEST_F(CliTables, BadCsvsGetOneLineAndExit2) {
  const std::string q = " --threads 1 --progress quiet --out " + (dir_ / "bad").string();
  const struct {
    const char* name;
    const char* text;
    const char* words;
  } cases[] = {
      {"ragged.csv", "a,b,t\n1,2,x\n3,4\n", "ragged.csv:3: 2 fields, the header has 3"},
      {"text.csv", "a,b,t\n1,2,x\n3,four,y\n", "text.csv:3: column 2 (b): 'four' is not a number"},
      {"empty.csv", "", "empty.csv: empty file"},
      {"quote.csv", "a,t\n1,\"x\n", "quote.csv:"},
  };
  for (const auto& c : cases) {
    const CliResult r = run("train --data " + write(c.name, c.text) + q);
    EXPECT_EQ(r.code, 2) << c.name;
    EXPECT_EQ(lines(r.err), 1) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(c.words), std::string::npos) << c.name << ": " << r.err;
  }
  const CliResult target = run("train --data " + write("ok.csv", "a,t\n1,x\n2,y\n") + " --target price" + q);
  EXPECT_EQ(target.code, 2);
  EXPECT_NE(target.err.find("no column 'price' (the columns: a, t"), std::string::npos) << target.err;
  const CliResult task = run("train --data " + (dir_ / "ok.csv").string() + " --task regression" + q);
  EXPECT_EQ(task.code, 2);
  EXPECT_NE(task.err.find("holds text"), std::string::npos) << task.err;
}

}  // namespace nnlab::test
