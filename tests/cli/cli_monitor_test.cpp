// nnlab train --monitor and report.html as a user gets them: the files in the output folder.

#include <filesystem>
#include <string>

#include "cli/cli_runner.h"

namespace nnlab::test {

class CliMonitor : public CliRunner {};

TEST_F(CliMonitor, WritesStatisticsChartsAndReport) {
  const auto out = dir_ / "run";
  const CliResult r =
      run("train --hidden 32,32 --epochs 1 --batch-size 100 --threads 1 --progress quiet --monitor "
          "--monitor-every 5 --out " +
          out.string());
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string layers = slurp(out / "monitor_layers.csv");
  EXPECT_EQ(layers.rfind("step,layer,name,type,activation_mean,activation_std,dead_fraction", 0), 0u) << layers;
  EXPECT_NE(layers.find("\n1,1,1,ReLU,"), std::string::npos) << layers;  // step 1, layer 1, named "1"
  EXPECT_EQ(slurp(out / "monitor_parameters.csv").rfind("step,parameter,layer,grad_norm", 0), 0u);
  EXPECT_NE(slurp(out / "monitor_parameters.csv").find("0.weight"), std::string::npos);
  EXPECT_GT(count(slurp(out / "monitor_histograms.csv"), "\n"), 40);
  EXPECT_TRUE(std::filesystem::exists(out / "monitor_warnings.csv"));
  for (const char* chart :
       {"monitor_activation_mean.svg", "monitor_activation_std.svg", "monitor_gradient_norm.svg",
        "monitor_gradient_norm_by_layer.svg", "monitor_update_ratio.svg", "monitor_histograms.svg"}) {
    const std::string svg = slurp(out / chart);
    EXPECT_EQ(svg.rfind("<svg", 0), 0u) << chart;
    EXPECT_NE(svg.find("<path"), std::string::npos) << chart;
  }
  const std::string html = slurp(out / "report.html");
  // Learning curves (3) and the monitor's charts (6), all inline; nothing fetched from elsewhere.
  EXPECT_EQ(count(html, "<svg"), 9);
  EXPECT_EQ(count(html, "<script"), 0);
  EXPECT_EQ(count(html, "http://"), count(html, "http://www.w3.org/"));
  EXPECT_EQ(count(html, "https://"), 0);
  EXPECT_NE(html.find("test accuracy"), std::string::npos);
  EXPECT_NE(html.find("Inside the network"), std::string::npos);
  EXPECT_NE(r.out.find("report.html"), std::string::npos) << r.out;
}

TEST_F(CliMonitor, EveryRunWritesReportWithoutMonitor) {
  const auto out = dir_ / "run";
  const CliResult r = run("train --hidden 16 --iterations 20 --threads 1 --progress quiet --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string html = slurp(out / "report.html");
  EXPECT_EQ(count(html, "<svg"), 3);
  EXPECT_EQ(html.find("Inside the network"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(out / "monitor_layers.csv"));
}

TEST_F(CliMonitor, DeepSigmoidWithStdOneWarnsOfVanishingGradients) {
  const auto out = dir_ / "run";
  const CliResult r =
      run("train --hidden 100,100,100,100,100,100,100,100,100 --activation sigmoid --init normal:1 "
          "--iterations 60 --threads 1 --progress quiet --monitor --monitor-every 5 --out " +
          out.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(count(r.err, "warning: vanishing gradients"), 1) << r.err;
  EXPECT_NE(slurp(out / "monitor_warnings.csv").find("vanishing_gradients"), std::string::npos);
  EXPECT_NE(slurp(out / "report.html").find("vanishing gradients"), std::string::npos);
}

TEST_F(CliMonitor, DivergedRunStopsWithAdviceAndStillWritesReport) {
  const auto out = dir_ / "run";
  const CliResult r =
      run("train --optimizer sgd --lr 10 --epochs 1 --threads 1 --progress quiet --monitor --out " + out.string());
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("training diverged at step"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(epoch 1)"), std::string::npos) << r.err;
  const std::string html = slurp(out / "report.html");
  EXPECT_NE(html.find("training diverged at step"), std::string::npos);
}

}  // namespace nnlab::test
