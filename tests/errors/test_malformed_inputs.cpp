// The error contract, end to end: each case runs the haqsim binary on one malformed input and
// checks the exit code (2: bad input), that the message names the file and the offending key,
// line or byte offset, and that no output file (not even a temporary) is left behind.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "tests/cli/cli_runner.h"
#include "tests/errors/malformed_inputs.h"
#include "tests/test_temp_dir.h"

namespace haqsim::testing {
namespace {

namespace fs = std::filesystem;

struct Case {
  std::string name;
  std::function<std::map<std::string, std::string>()> files;  // relative path -> contents
  std::string args;                    // "{dir}" stands for the case's directory
  std::vector<std::string> fragments;  // each must appear in the output ("{dir}" expanded)
  int exit_code = 2;
  // Exit code 0: paths (relative to the case's directory) that must have been written.
  std::vector<std::string> written = {};
  // Paths that must not exist afterwards (not even as empty directories).
  std::vector<std::string> absent = {};
};

// gtest prints the case by name rather than as raw bytes.
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

std::string expand(std::string text, const std::string& dir) {
  for (size_t at; (at = text.find("{dir}")) != std::string::npos;) text.replace(at, 5, dir);
  return text;
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("not in text: " + from);
  return text.replace(at, from.size(), to);
}

std::string edge() {
  return repository_file("arch-configs/bismo-edge.yaml");
}
std::string bitfusion() {
  return repository_file("arch-configs/bitfusion.yaml");
}

// 1-based line of the first occurrence of `needle` in `text`.
int line_of(const std::string& text, const std::string& needle) {
  const size_t at = text.find(needle);
  if (at == std::string::npos) throw std::runtime_error("not in text: " + needle);
  return 1 + int(std::count(text.begin(), text.begin() + at, '\n'));
}

std::string at_line(const std::string& file, int line) {
  return "{dir}/" + file + ":" + std::to_string(line) + ":";
}

const std::string kSimulate = "simulate --model mobilenet_v1 --bits 8 --arch ";
const std::string kEdgeSimulate =
    "simulate --arch arch-configs/bismo-edge.yaml --model mobilenet_v1 ";
const std::string kEval =
    "eval --model mobilenet_v1 --dataset {dir}/data --images 4 --calibration-images 8 ";

// A valid dataset directory (24 training and 12 test images, 28x28) with one file replaced.
std::map<std::string, std::string> dataset(const std::string& file = "",
                                           const std::string& contents = "") {
  std::map<std::string, std::string> files = {
      {"data/train-images-idx3-ubyte.gz", gzip(idx_bytes({24, 28, 28}))},
      {"data/train-labels-idx1-ubyte.gz", gzip(idx_bytes({24}))},
      {"data/t10k-images-idx3-ubyte.gz", gzip(idx_bytes({12, 28, 28}))},
      {"data/t10k-labels-idx1-ubyte.gz", gzip(idx_bytes({12}))},
  };
  if (!file.empty()) files["data/" + file] = contents;
  return files;
}

std::string weights() {
  return repository_file("models/pretrained/mobilenet_v1_fmnist.bin");
}

std::vector<Case> cases() {
  using Files = std::map<std::string, std::string>;
  std::vector<Case> c;
  auto arch = [](std::function<std::string()> text) {
    return [text] { return Files{{"arch.yaml", text()}}; };
  };

  // --- arch config --------------------------------------------------------------------------
  c.push_back({"ArchControlIsAccepted", arch(edge), kSimulate + "{dir}/arch.yaml", {}, 0});
  c.push_back({"ArchTruncatedYaml",
               arch([] { return edge().substr(0, edge().find("  dn: 8")) + "  dn: [8, 16\n"; }),
               kSimulate + "{dir}/arch.yaml",
               {"{dir}/arch.yaml:", "expected valid YAML"}});
  c.push_back({"ArchGarbledYaml",
               arch([] { return replace_once(edge(), "  dn: 8", "  dn: : :"); }),
               kSimulate + "{dir}/arch.yaml",
               {at_line("arch.yaml", line_of(edge(), "  dn: 8")), "valid YAML"}});
  c.push_back({"ArchBinaryGarbage",
               arch([] { return std::string("\x7f\x45\x4c\x46\x02\x01", 6); }),
               kSimulate + "{dir}/arch.yaml",
               {"{dir}/arch.yaml:1:", "a YAML mapping at the top level"}});
  c.push_back({"ArchEmptyFile",
               arch([] { return std::string(); }),
               kSimulate + "{dir}/arch.yaml",
               {"{dir}/arch.yaml:1:", "a YAML mapping at the top level"}});
  c.push_back(
      {"ArchWrongType",
       arch([] { return replace_once(edge(), "dm: 8 ", "dm: eight "); }),
       kSimulate + "{dir}/arch.yaml",
       {at_line("arch.yaml", line_of(edge(), "dm: 8")) + " key 'bismo.dm'", "found 'eight'"}});
  c.push_back({"ArchUnknownKey",
               arch([] {
                 return replace_once(edge(), "clock_mhz: 200", "clock_mhz: 200\nclock_mhs: 200");
               }),
               kSimulate + "{dir}/arch.yaml",
               {at_line("arch.yaml", line_of(edge(), "clock_mhz") + 1) + " key 'clock_mhs'",
                "unknown key"}});
  c.push_back({"ArchMissingKey",
               arch([] { return replace_once(edge(), "  dk: 256", "  # dk"); }),
               kSimulate + "{dir}/arch.yaml",
               {"key 'bismo.dk'", "expected required key 'dk'"}});
  c.push_back({"ArchZeroRows",
               arch([] { return replace_once(edge(), "dm: 8 ", "dm: 0 "); }),
               kSimulate + "{dir}/arch.yaml",
               {at_line("arch.yaml", line_of(edge(), "dm: 8")) + " key 'bismo.dm'",
                "an integer in [1, 4096]", "found '0'"}});
  c.push_back(
      {"ArchDkNotPowerOfTwo",
       arch([] { return replace_once(edge(), "dk: 256", "dk: 100"); }),
       kSimulate + "{dir}/arch.yaml",
       {at_line("arch.yaml", line_of(edge(), "dk: 256")) + " key 'bismo.dk'", "a power of two"}});
  c.push_back({"ArchArrayAsSequence",
               arch([] { return replace_once(edge(), "dm: 8 ", "dm: [8, 8] "); }),
               kSimulate + "{dir}/arch.yaml",
               {"key 'bismo.dm'", "found a sequence"}});
  c.push_back(
      {"ArchNegativeClock",
       arch([] { return replace_once(edge(), "clock_mhz: 200", "clock_mhz: -200"); }),
       kSimulate + "{dir}/arch.yaml",
       {at_line("arch.yaml", line_of(edge(), "clock_mhz")) + " key 'clock_mhz'", "found '-200'"}});
  c.push_back({"ArchUnknownType",
               arch([] { return replace_once(edge(), "type: bismo", "type: eyeriss"); }),
               kSimulate + "{dir}/arch.yaml",
               {"key 'type'", "one of bismo|bitfusion"}});
  c.push_back({"ArchBismoSectionInBitFusion",
               arch([] { return bitfusion() + "bismo:\n  dm: 8\n"; }),
               kSimulate + "{dir}/arch.yaml",
               {"key 'bismo'", "no 'bismo' section"}});
  c.push_back({"ArchMissingFile", {}, kSimulate + "{dir}/no-such.yaml", {"no-such.yaml"}});

  // --- policy -------------------------------------------------------------------------------
  auto policy = [](std::function<std::string()> text) {
    return [text] { return Files{{"policy.yaml", text()}}; };
  };
  const std::string with_policy = kEdgeSimulate + "--policy {dir}/policy.yaml";
  c.push_back({"PolicyControlIsAccepted", policy(mobilenet_v1_policy), with_policy, {}, 0});
  c.push_back({"PolicyNineBitWeights",
               policy([] {
                 return replace_once(mobilenet_v1_policy(), "{layer: 3, wbits: 8",
                                     "{layer: 3, wbits: 9");
               }),
               with_policy,
               {at_line("policy.yaml", 6) + " key 'layers[3].wbits'", "an integer in [1, 8]",
                "found '9'"}});
  c.push_back({"PolicyZeroBitActivations",
               policy([] {
                 return replace_once(mobilenet_v1_policy(), "{layer: 0, wbits: 8, abits: 8",
                                     "{layer: 0, wbits: 8, abits: 0");
               }),
               with_policy,
               {at_line("policy.yaml", 3) + " key 'layers[0].abits'", "found '0'"}});
  c.push_back({"PolicyMissingLayer",
               policy([] {
                 return replace_once(mobilenet_v1_policy(), "  - {layer: 27, wbits: 8, abits: 8}\n",
                                     "");
               }),
               with_policy,
               {at_line("policy.yaml", 3) + " key 'layers'", "expected 28 entries", "found 27"}});
  c.push_back(
      {"PolicyDuplicateLayer",
       policy([] { return replace_once(mobilenet_v1_policy(), "{layer: 5,", "{layer: 4,"); }),
       with_policy,
       {at_line("policy.yaml", 8) + " key 'layers[5].layer'", "already set at line 7"}});
  c.push_back(
      {"PolicyUnknownLayerName",
       policy(
           [] { return replace_once(mobilenet_v1_policy(), "{layer: 7,", "{name: conv99_dw,"); }),
       with_policy,
       {at_line("policy.yaml", 10) + " key 'layers[7].name'", "unknown layer 'conv99_dw'"}});
  c.push_back(
      {"PolicyLayerOutOfRange",
       policy([] { return replace_once(mobilenet_v1_policy(), "{layer: 27,", "{layer: 28,"); }),
       with_policy,
       {at_line("policy.yaml", 30) + " key 'layers[27].layer'", "an integer in [0, 27]"}});
  c.push_back({"PolicyWrongModel",
               policy([] {
                 return replace_once(mobilenet_v1_policy(), "model: mobilenet_v1",
                                     "model: mobilenet_v2");
               }),
               with_policy,
               {at_line("policy.yaml", 1) + " key 'model'", "a policy for 'mobilenet_v1'"}});
  c.push_back({"PolicyUnknownEntryKey",
               policy([] {
                 return replace_once(mobilenet_v1_policy(), "{layer: 2, wbits: 8",
                                     "{layer: 2, wbit: 4, wbits: 8");
               }),
               with_policy,
               {at_line("policy.yaml", 5) + " key 'layers[2].wbit'", "unknown key"}});
  c.push_back({"PolicyWrongType",
               policy([] {
                 return replace_once(mobilenet_v1_policy(), "{layer: 9, wbits: 8",
                                     "{layer: 9, wbits: four");
               }),
               with_policy,
               {at_line("policy.yaml", 12) + " key 'layers[9].wbits'", "'four'"}});
  c.push_back({"PolicyEntryWithoutLayer",
               policy([] {
                 return replace_once(mobilenet_v1_policy(), "{layer: 1, wbits", "{lyr: 1, wbits");
               }),
               with_policy,
               {at_line("policy.yaml", 4) + " key 'layers[1].layer'", "neither"}});
  c.push_back({"PolicyLayersNotASequence",
               policy([] { return std::string("layers: 8\n"); }),
               with_policy,
               {at_line("policy.yaml", 1) + " key 'layers'", "a sequence"}});
  c.push_back(
      {"PolicyTruncatedJson",
       policy([] { return std::string("{\"model\": \"mobilenet_v1\",\n\"layers\": [{\"la"); }),
       with_policy,
       {"{dir}/policy.yaml:", "valid YAML"}});

  // --- ONNX import --------------------------------------------------------------------------
  const std::string onnx = "simulate --arch arch-configs/bismo-edge.yaml --bits 8 --onnx ";
  auto model = [](std::function<std::string()> bytes) {
    return [bytes] { return Files{{"model.onnx", bytes()}}; };
  };
  c.push_back({"OnnxControlIsAccepted",
               model([] { return small_onnx_model(); }),
               onnx + "{dir}/model.onnx",
               {},
               0});
  c.push_back({"OnnxTruncatedProtobuf",
               model([] {
                 const std::string m = small_onnx_model();
                 return m.substr(0, m.size() / 2);
               }),
               onnx + "{dir}/model.onnx",
               {"{dir}/model.onnx (byte offset ", "field 7 (graph) cut short"}});
  c.push_back({"OnnxGarbage",
               model([] { return std::string("\xff\xff\xff\xff not onnx", 13); }),
               onnx + "{dir}/model.onnx",
               {"{dir}/model.onnx (byte offset 0)", "onnx.ModelProto"}});
  c.push_back({"OnnxUnsupportedOperator",
               model([] { return small_onnx_model("Mish"); }),
               onnx + "{dir}/model.onnx",
               {"{dir}/model.onnx: key 'node 'relu''", "(Mish, opset 13)", "found 'Mish'"}});
  // Every unsupported node in one run, an unnamed one by index and op type.
  c.push_back({"OnnxEveryUnsupportedOperator",
               model([] {
                 return edited_onnx_model([](onnx::ModelProto& m) {
                   for (auto& n : *m.mutable_graph()->mutable_node()) {
                     if (n.op_type() == "Relu") n.set_op_type("Mish");
                     if (n.op_type() == "GlobalAveragePool") {
                       n.set_op_type("Frobnicate");
                       n.clear_name();
                     }
                   }
                 });
               }),
               onnx + "{dir}/model.onnx",
               {"2 nodes haqsim cannot import", "node 'relu' (Mish, opset 13)",
                "node #2 Frobnicate (Frobnicate, opset 13)"}});
  c.push_back({"OnnxWeightShapeMismatch",
               model([] { return small_onnx_model("Relu", 5); }),
               onnx + "{dir}/model.onnx",
               {"{dir}/model.onnx: key 'node 'conv''", "(Conv, opset 13)", "input channels"}});
  c.push_back({"OnnxWrongOpset",
               model([] {
                 return edited_onnx_model(
                     [](onnx::ModelProto& m) { m.mutable_opset_import(0)->set_version(99); });
               }),
               onnx + "{dir}/model.onnx",
               {"{dir}/model.onnx: key 'opset_import'", "found 99"}});
  c.push_back({"OnnxExternalDataMissing",
               model([] {
                 return edited_onnx_model([](onnx::ModelProto& m) {
                   onnx::TensorProto* t = m.mutable_graph()->mutable_initializer(0);
                   t->clear_float_data();
                   t->clear_raw_data();
                   t->set_data_location(onnx::TensorProto::EXTERNAL);
                   auto* kv = t->add_external_data();
                   kv->set_key("location");
                   kv->set_value("conv_weights.bin");
                 });
               }),
               onnx + "{dir}/model.onnx",
               {"{dir}/model.onnx: key 'tensor 'conv.w' external data'", "conv_weights.bin"}});
  c.push_back({"OnnxCycle",
               model([] {
                 return edited_onnx_model([](onnx::ModelProto& m) {
                   m.mutable_graph()->mutable_node(0)->set_input(0, "y");  // conv reads the output
                 });
               }),
               onnx + "{dir}/model.onnx",
               {"{dir}/model.onnx: key 'node 'conv''", "cycle"}});
  c.push_back({"OnnxResolutionContradictsFixedInput",
               model([] { return small_onnx_model(); }),
               onnx + "{dir}/model.onnx --resolution 16",
               {"--resolution", "fixed: 8"}});
  c.push_back({"OnnxWidthRefused",
               model([] { return small_onnx_model(); }),
               onnx + "{dir}/model.onnx --width 0.5",
               {"--width", "no --width with --onnx"}});
  c.push_back({"OnnxMissingFile", {}, onnx + "{dir}/no-such.onnx", {"no-such.onnx"}});

  // --- datasets (IDX, gzip) -----------------------------------------------------------------
  c.push_back({"DatasetControlIsAccepted", [] { return dataset(); }, kEval, {}, 0});
  c.push_back({"DatasetTruncatedGzip",
               [] {
                 const std::string gz = gzip(idx_bytes({24, 28, 28}));
                 return dataset("train-images-idx3-ubyte.gz", gz.substr(0, gz.size() / 2));
               },
               kEval,
               {"{dir}/data/train-images-idx3-ubyte.gz (byte offset ", "truncated"}});
  c.push_back(
      {"DatasetBadMagic",
       [] {
         std::string bytes = idx_bytes({12, 28, 28});
         bytes[0] = 0x1f;
         bytes[1] = 0x0b;
         return dataset("t10k-images-idx3-ubyte.gz", gzip(bytes));
       },
       kEval,
       {"{dir}/data/t10k-images-idx3-ubyte.gz (byte offset 0)", "IDX magic 00 00", "found 1f 0b"}});
  c.push_back({"DatasetTruncatedRawIdx",
               [] {
                 Files files = dataset();
                 files.erase("data/train-labels-idx1-ubyte.gz");
                 files["data/train-labels-idx1-ubyte"] = idx_bytes({24}).substr(0, 20);
                 return files;
               },
               kEval,
               {"{dir}/data/train-labels-idx1-ubyte (byte offset 20)", "expected 24 data bytes"}});
  c.push_back({"DatasetFloatIdx",
               [] {
                 std::string bytes = idx_bytes({24});
                 bytes[2] = 0x0d;
                 return dataset("train-labels-idx1-ubyte.gz", gzip(bytes));
               },
               kEval,
               {"{dir}/data/train-labels-idx1-ubyte.gz (byte offset 2)", "found 0x0d"}});
  c.push_back({"DatasetLabelsWithImageShape",
               [] {
                 return dataset("t10k-labels-idx1-ubyte.gz", gzip(idx_bytes({12, 2})));
               },
               kEval,
               {"{dir}/data/t10k-labels-idx1-ubyte.gz (byte offset 3)", "1 dimension"}});
  c.push_back({"DatasetLabelCountMismatch",
               [] { return dataset("train-labels-idx1-ubyte.gz", gzip(idx_bytes({23}))); },
               kEval,
               {"{dir}/data/train-labels-idx1-ubyte.gz (byte offset 4)", "expected 24 labels",
                "found 23"}});
  c.push_back(
      {"DatasetZeroSizedDimension",
       [] {
         return dataset("train-images-idx3-ubyte.gz", gzip(idx_bytes({24, 0, 28})));
       },
       kEval,
       {"{dir}/data/train-images-idx3-ubyte.gz (byte offset 8)", "a positive dimension size"}});
  c.push_back({"DatasetMissingFile",
               [] {
                 Files files = dataset();
                 files.erase("data/t10k-labels-idx1-ubyte.gz");
                 return files;
               },
               kEval,
               {"{dir}/data", "t10k-labels-idx1-ubyte"}});

  // --- weight files -------------------------------------------------------------------------
  const std::string eval_weights = "eval --weights {dir}/w.bin --images 4 ";
  c.push_back({"WeightsBadMagic",
               [] {
                 return Files{{"w.bin", "HAQSIMX" + weights().substr(7)}};
               },
               eval_weights,
               {"{dir}/w.bin (byte offset 0)", "HAQSIMW"}});
  c.push_back({"WeightsTruncated",
               [] {
                 return Files{{"w.bin", weights().substr(0, weights().size() / 2)}};
               },
               eval_weights,
               {"{dir}/w.bin (byte offset ", "found end of file"}});
  c.push_back({"WeightsFutureVersion",
               [] {
                 std::string w = weights();
                 w[8] = 9;
                 return Files{{"w.bin", w}};
               },
               eval_weights,
               {"{dir}/w.bin (byte offset 8)", "format version 1", "found 9"}});

  // --- command line -------------------------------------------------------------------------
  c.push_back({"CliNineBits", {}, kEdgeSimulate + "--bits 9", {"--bits", "9"}});
  c.push_back({"CliZeroBits", {}, kEdgeSimulate + "--wbits 0 --abits 4", {"--wbits", "0"}});
  c.push_back({"CliUnknownBackend", {}, kEdgeSimulate + "--backend verilog", {"--backend"}});
  c.push_back({"CliZeroResolution", {}, kEdgeSimulate + "--resolution 0", {"--resolution"}});
  c.push_back({"CliWidthNotANumber", {}, kEdgeSimulate + "--width wide", {"--width", "wide"}});
  c.push_back({"CliUnknownModel",
               {},
               "simulate --arch arch-configs/bismo-edge.yaml --model lenet",
               {"--model", "'lenet'", "mobilenet_v1"}});
  c.push_back({"CliNoModel",
               {},
               "simulate --arch arch-configs/bismo-edge.yaml",
               {"--model NAME or --onnx FILE"}});
  c.push_back({"CliUnknownOption", {}, kEdgeSimulate + "--frobnicate 3", {"--frobnicate"}});
  c.push_back({"CliUnknownSplit",
               [] { return dataset(); },
               kEval + "--split holdout",
               {"--split", "'holdout'"}});
  c.push_back({"CliOutIsAFile",
               [] {
                 return Files{{"out", "a file, not a directory\n"}};
               },
               kEdgeSimulate + "--bits 8",
               {"{dir}/out: key '--out'", "a writable output directory", "found a file"}});
  c.push_back({"CliDatasetNotADirectory", {}, kEval, {"--dataset", "{dir}/data"}});

  // --- output paths of every command: refused before any work, not after it --------------------
  // (Cases that give --out themselves get no "--out {dir}/out" appended.)
  c.push_back({"CliEmptyOut",  // once wrote /layers.csv and /summary.json
               {},
               kEdgeSimulate + "--bits 8 --out ''",
               {"--out", "found an empty string"}});
  auto directory = [] { return Files{{"d/keep", ""}, {"run/layers.csv", "layer\n"}}; };
  c.push_back({"TrainOutIsADirectory",  // once refused only after the whole training
               directory,
               "train --model mobilenet_v1 --epochs 1 --out {dir}/d",
               {"{dir}/d: key '--out'", "a writable output file", "found a directory"}});
  c.push_back({"FinetuneOutIsADirectory",  // once refused only after the whole fine-tune
               directory,
               "finetune --model mobilenet_v1 --bits 4 --out {dir}/d",
               {"{dir}/d: key '--out'", "a writable output file", "found a directory"}});
  c.push_back({"ReportOutIsADirectory",  // once an internal error that left d.tmp.<pid> behind
               directory,
               "report {dir}/run --out {dir}/d",
               {"{dir}/d: key '--out'", "found a directory"}});
  c.push_back({"ReportOutUnderAFile",  // once an internal error
               [] {
                 return Files{{"f", "a file\n"}, {"run/layers.csv", "layer\n"}};
               },
               "report {dir}/run --out {dir}/f/report.html",
               {"{dir}/f/report.html: key '--out'",
                "found a file at '{dir}/f' where a directory must be"}});

  // --- --trace: the VCD of one layer, written whole with the report or not at all -------------
  const std::string trace =
      "--bits 8 --resolution 8 --backend systemc --quiet --trace-layer 0 --trace ";
  const std::string bitfusion_simulate = "simulate --model mobilenet_v1 --arch ";
  c.push_back({"TraceIntoNewDirectoriesBismo",
               {},
               kEdgeSimulate + trace + "{dir}/new/deeper/layer0.vcd",
               {},
               0,
               {"new/deeper/layer0.vcd"}});
  c.push_back({"TraceIntoNewDirectoryBitFusion",
               {},
               bitfusion_simulate + "arch-configs/bitfusion.yaml " + trace + "{dir}/new/layer0.vcd",
               {},
               0,
               {"new/layer0.vcd"}});
  c.push_back({"TraceUnderAFile",
               [] {
                 return Files{{"f", "a file, not a directory\n"}};
               },
               kEdgeSimulate + trace + "{dir}/f/layer0.vcd",
               {"{dir}/f/layer0.vcd: key '--trace'", "a writable output file",
                "found a file at '{dir}/f' where a directory must be"}});
  c.push_back({"TraceIsADirectory",
               [] {
                 return Files{{"d/keep", ""}};
               },
               kEdgeSimulate + trace + "{dir}/d",
               {"{dir}/d: key '--trace'", "found a directory"}});
  // A window that opens after the layer ended once wrote a header-only VCD and exited 0.
  c.push_back(
      {"TraceWindowPastTheLayer",
       {},
       kEdgeSimulate + "--trace-cycles 100000000: " + trace + "{dir}/new/layer0.vcd",
       {"key '--trace-cycles'", "a window that starts within layer 0's", "found '100000000:'"},
       2,
       {},
       {"new"}});
  // A misspelt command once answered "A subcommand is required".
  c.push_back({"CliUnknownCommand",
               {},
               "simulat --arch arch-configs/bismo-edge.yaml",
               {"unknown command 'simulat'", "the commands are: simulate, models"}});
  // The traced layer (0) runs, then layer 1 (depthwise with its taps on the rows, which needs
  // a wider IBUF than the first conv) is refused: neither the VCD nor the directory made for it
  // stays.
  c.push_back({"TraceOfARunRefusedAfterTheTracedLayer",
               [] {
                 std::string text =
                     replace_once(bitfusion(), "ibuf_bytes: 32768", "ibuf_bytes: 256");
                 text = replace_once(text, "depthwise_mapping: row_shared",
                                     "depthwise_mapping: taps_on_rows");
                 return Files{{"arch.yaml",
                               replace_once(text, "act_per_unit: false", "act_per_unit: true")}};
               },
               bitfusion_simulate + "{dir}/arch.yaml " + trace + "{dir}/new/layer0.vcd",
               {"key 'bitfusion.ibuf_bytes'", "found 256 bytes"},
               2,
               {},
               {"new"}});
  return c;
}

class MalformedInput : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    dir_ = haqsim_test_temp_dir() / ("haqsim_errors_" + GetParam().name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_P(MalformedInput, IsRefusedByNameWithoutOutput) {
  const Case& c = GetParam();
  std::set<fs::path> inputs;
  if (c.files) {
    for (const auto& [name, contents] : c.files()) {
      const fs::path path = dir_ / name;
      fs::create_directories(path.parent_path());
      std::ofstream(path, std::ios::binary) << contents;
      inputs.insert(path);
    }
  }
  const std::string dir = dir_.string();
  const bool gives_out = c.args.find("--out") != std::string::npos;
  const auto r = run_haqsim(expand(c.args, dir) + (gives_out ? "" : " --out " + dir + "/out"));
  ASSERT_EQ(r.exit_code, c.exit_code) << r.output;
  for (const std::string& fragment : c.fragments) {
    EXPECT_NE(r.output.find(expand(fragment, dir)), std::string::npos)
        << "missing '" << expand(fragment, dir) << "' in:\n"
        << r.output;
  }
  for (const std::string& path : c.absent) {
    EXPECT_FALSE(fs::exists(dir_ / path)) << "left behind: " << path;
  }
  if (c.exit_code == 0) {
    for (const std::string& path : c.written) {
      EXPECT_TRUE(fs::is_regular_file(dir_ / path)) << "not written: " << path;
    }
    return;
  }
  EXPECT_EQ(r.output.find("internal error"), std::string::npos) << r.output;
  for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
    if (entry.is_regular_file()) {
      EXPECT_TRUE(inputs.count(entry.path())) << "left behind: " << entry.path();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Loaders, MalformedInput, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace haqsim::testing
