#include "tools/app/quantized_network_run.h"

#include <fmt/format.h>

namespace haqsim {

QuantizedNetworkRun run_quantized_network_on(LayerCostModel& model, const QuantizedNetwork& qnet,
                                             const IntTensor& input, Backend backend) {
  LayerExecutor* executor = model.executor();
  if (executor == nullptr) {
    throw BackendUnavailable(fmt::format(
        "the '{}' backend estimates costs and does not execute data; use systemc or rtl",
        to_string(backend)));
  }
  QuantizedNetworkRun out;
  // The report's header fields, from a data-free pass over the same network and policy.
  NetworkRun& report = out.report;
  const ArchConfig& config = model.config();
  report.arch_name = config.name;
  report.arch_file = config.file;
  report.arch_type = config.type;
  report.clock_mhz = config.clock_mhz;
  report.model = qnet.network.name;
  report.instance = fmt::format(
      "{} at {}, {} classes, batch {}, quantized network run end "
      "to end (host requantization between layers)",
      qnet.network.name, qnet.network.spec.input_shape(), qnet.network.spec.classes, input.n);
  report.backend = backend;
  report.resolution = qnet.network.spec.resolution;
  report.batch = input.n;
  report.policy_source = qnet.policy.source;
  report.device = config.device_name;
  report.resources = config.resources();

  report.weights = qnet.network.total_weights();
  const std::vector<int> indices = array_layer_indices(qnet.network);
  Network batched = qnet.network;
  batched.spec.batch = input.n;
  add_host_layers(report, batched, config);
  AccumulateFn on_accelerator = [&](int quant_index, const QuantizedLayer& qlayer,
                                    const Layer& layer, const IntTensor& layer_input) {
    LayerJob job;
    job.layer = lower_layer(layer, layer_input.n);
    job.layer.input_signed = qlayer.input_signed;
    job.bits = {qlayer.wbits, qlayer.abits};
    job.weights = qlayer.weights;
    job.input = layer_input.data;
    LayerJobResult result = executor->run(job);
    IntTensor accumulators(layer_input.n, layer.out_channels, layer.out_height, layer.out_width);
    accumulators.data = std::move(result.accumulators);
    result.stats.bit_exact = accumulators == accumulate_layer(qlayer, layer, layer_input);
    report.layers.push_back({job.layer, job.bits, result.stats, indices.at(size_t(quant_index))});
    return accumulators;
  };
  const QuantizedRun accelerated = run_quantized_network(qnet, input, on_accelerator, false);
  const QuantizedRun reference = run_quantized_network(qnet, input, nullptr, false);
  out.logits_match_reference = accelerated.logits == reference.logits;
  report.operands = "network";
  report.logits_match_reference = out.logits_match_reference;
  out.predicted = accelerated.predicted;
  out.reference_predicted = reference.predicted;
  return out;
}

}  // namespace haqsim
