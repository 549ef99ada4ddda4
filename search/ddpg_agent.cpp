#include "search/ddpg_agent.h"

#include <algorithm>
#include <cmath>
#include <istream>
#include <ostream>

namespace haqsim::search {

namespace {

// HAQ initializes the output layers small so the first actions sit near 0.5 and Q near 0.
void init_output_layer(torch::nn::Linear& layer) {
  torch::NoGradGuard no_grad;
  layer->weight.uniform_(-3e-3, 3e-3);
  layer->bias.uniform_(-3e-3, 3e-3);
}

torch::nn::Sequential make_actor(int state_size, int hidden) {
  torch::nn::Linear out(hidden, 1);
  init_output_layer(out);
  return torch::nn::Sequential(torch::nn::Linear(state_size, hidden), torch::nn::ReLU(),
                               torch::nn::Linear(hidden, hidden), torch::nn::ReLU(), out,
                               torch::nn::Sigmoid());
}

void hard_copy(const std::vector<torch::Tensor>& from, const std::vector<torch::Tensor>& to) {
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < from.size(); ++i) to[i].copy_(from[i]);
}

void soft_copy(const std::vector<torch::Tensor>& from, const std::vector<torch::Tensor>& to,
               double tau) {
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < from.size(); ++i) to[i].mul_(1 - tau).add_(from[i], tau);
}

}  // namespace

double truncated_normal(double mean, double sigma, double lo, double hi, Rng& rng) {
  std::normal_distribution<double> normal(mean, sigma);
  for (int tries = 0; tries < 1000; ++tries) {
    const double x = normal(rng);
    if (x >= lo && x <= hi) return x;
  }
  return std::clamp(mean, lo, hi);
}

DdpgAgent::DdpgAgent(int state_size, int capacity, DdpgOptions options)
    : state_size_(state_size), capacity_(std::max(capacity, 1)), options_(options) {
  torch::manual_seed(options_.seed);
  const int h = options_.hidden;
  actor_ = make_actor(state_size, h);
  actor_target_ = make_actor(state_size, h);
  critic_state_ = torch::nn::Linear(state_size, h);
  critic_action_ = torch::nn::Linear(1, h);
  torch::nn::Linear q_out(h, 1);
  init_output_layer(q_out);
  critic_rest_ = torch::nn::Sequential(torch::nn::Linear(h, h), torch::nn::ReLU(), q_out);
  critic_state_t_ = torch::nn::Linear(state_size, h);
  critic_action_t_ = torch::nn::Linear(1, h);
  critic_rest_t_ =
      torch::nn::Sequential(torch::nn::Linear(h, h), torch::nn::ReLU(), torch::nn::Linear(h, 1));
  hard_copy(actor_->parameters(), actor_target_->parameters());
  hard_copy(critic_parameters(false), critic_parameters(true));
  actor_opt_ = std::make_unique<torch::optim::Adam>(actor_->parameters(),
                                                    torch::optim::AdamOptions(options_.lr_actor));
  critic_opt_ = std::make_unique<torch::optim::Adam>(critic_parameters(false),
                                                     torch::optim::AdamOptions(options_.lr_critic));
  replay_.assign(size_t(capacity_) * row_size(), 0.0f);
}

std::vector<torch::Tensor> DdpgAgent::critic_parameters(bool target) {
  std::vector<torch::Tensor> p;
  for (auto* m :
       {target ? &critic_state_t_ : &critic_state_, target ? &critic_action_t_ : &critic_action_}) {
    for (auto& t : (*m)->parameters()) p.push_back(t);
  }
  for (auto& t : (target ? critic_rest_t_ : critic_rest_)->parameters()) p.push_back(t);
  return p;
}

torch::Tensor DdpgAgent::critic(const torch::Tensor& s, const torch::Tensor& a, bool target) {
  auto& fs = target ? critic_state_t_ : critic_state_;
  auto& fa = target ? critic_action_t_ : critic_action_;
  auto& rest = target ? critic_rest_t_ : critic_rest_;
  return rest->forward(torch::relu(fs->forward(s) + fa->forward(a)));
}

double DdpgAgent::act(const std::vector<float>& state) {
  torch::NoGradGuard no_grad;
  const torch::Tensor s = torch::from_blob(const_cast<float*>(state.data()),
                                           {1, int64_t(state.size())}, torch::kFloat32);
  return actor_->forward(s).item<float>();
}

double DdpgAgent::sigma_at(int episode) const {
  return options_.sigma * std::pow(options_.sigma_decay, std::max(0, episode - options_.warmup));
}

double DdpgAgent::explore(const std::vector<float>& state, int episode, Rng& rng) {
  if (!learning(episode)) return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  return truncated_normal(act(state), sigma_at(episode), 0.0, 1.0, rng);
}

void DdpgAgent::remember(const Transition& t) {
  float* row = &replay_[size_t(next_) * row_size()];
  std::copy(t.state.begin(), t.state.end(), row);
  std::copy(t.next_state.begin(), t.next_state.end(), row + state_size_);
  row[2 * state_size_] = t.action;
  row[2 * state_size_ + 1] = t.reward;
  row[2 * state_size_ + 2] = t.terminal ? 1.0f : 0.0f;
  next_ = (next_ + 1) % capacity_;
  size_ = std::min(size_ + 1, capacity_);
}

void DdpgAgent::update(Rng& rng) {
  const int n = options_.batch_size;
  if (size_ < n) return;
  const int S = state_size_;
  torch::Tensor batch = torch::empty({n, row_size()}, torch::kFloat32);
  float* dst = batch.data_ptr<float>();
  std::uniform_int_distribution<int> pick(0, size_ - 1);
  for (int i = 0; i < n; ++i) {
    const float* row = &replay_[size_t(pick(rng)) * row_size()];
    std::copy(row, row + row_size(), dst + size_t(i) * row_size());
  }
  const torch::Tensor s = batch.narrow(1, 0, S);
  const torch::Tensor s2 = batch.narrow(1, S, S);
  const torch::Tensor a = batch.narrow(1, 2 * S, 1);
  torch::Tensor r = batch.narrow(1, 2 * S + 1, 1).clone();
  const torch::Tensor terminal = batch.narrow(1, 2 * S + 2, 1);

  // Reward baseline: a moving average of the batches' mean reward (HAQ's normalization).
  const double batch_mean = r.mean().item<float>();
  if (!have_average_) {
    moving_average_ = batch_mean;
    have_average_ = true;
  } else {
    moving_average_ += options_.moving_alpha * (batch_mean - moving_average_);
  }
  r -= moving_average_;

  torch::Tensor target_q;
  {
    torch::NoGradGuard no_grad;
    const torch::Tensor next_q = critic(s2, actor_target_->forward(s2), true);
    target_q = r + options_.discount * (1 - terminal) * next_q;
  }
  critic_opt_->zero_grad();
  const torch::Tensor q = critic(s, a, false);
  torch::mse_loss(q, target_q).backward();
  critic_opt_->step();

  // The actor's loss flows back through the critic, but only the actor learns from it: with the
  // critic's parameters frozen for this pass, autograd skips their weight gradients (which the
  // next critic step would discard anyway).
  const std::vector<torch::Tensor> critic_params = critic_parameters(false);
  for (const torch::Tensor& p : critic_params) p.requires_grad_(false);
  actor_opt_->zero_grad();
  const torch::Tensor policy_loss = -critic(s, actor_->forward(s), false).mean();
  policy_loss.backward();
  actor_opt_->step();
  for (const torch::Tensor& p : critic_params) p.requires_grad_(true);

  soft_copy(actor_->parameters(), actor_target_->parameters(), options_.tau);
  soft_copy(critic_parameters(false), critic_parameters(true), options_.tau);
}

void DdpgAgent::save(std::ostream& out) {
  torch::serialize::OutputArchive archive;
  auto write_module = [&](const char* name, torch::nn::Module& m) {
    torch::serialize::OutputArchive sub;
    m.save(sub);
    archive.write(name, sub);
  };
  write_module("actor", *actor_);
  write_module("actor_target", *actor_target_);
  write_module("critic_state", *critic_state_);
  write_module("critic_action", *critic_action_);
  write_module("critic_rest", *critic_rest_);
  write_module("critic_state_t", *critic_state_t_);
  write_module("critic_action_t", *critic_action_t_);
  write_module("critic_rest_t", *critic_rest_t_);
  torch::serialize::OutputArchive actor_opt, critic_opt;
  actor_opt_->save(actor_opt);
  critic_opt_->save(critic_opt);
  archive.write("actor_opt", actor_opt);
  archive.write("critic_opt", critic_opt);
  archive.write(
      "replay",
      torch::from_blob(replay_.data(), {int64_t(replay_.size())}, torch::kFloat32).clone());
  archive.write("counters", torch::tensor({int64_t(size_), int64_t(next_), int64_t(have_average_),
                                           int64_t(capacity_)}));
  archive.write("moving_average", torch::tensor({moving_average_}, torch::kFloat64));
  archive.save_to(out);
}

void DdpgAgent::load(std::istream& in) {
  torch::serialize::InputArchive archive;
  archive.load_from(in);
  auto read_module = [&](const char* name, torch::nn::Module& m) {
    torch::serialize::InputArchive sub;
    archive.read(name, sub);
    m.load(sub);
  };
  read_module("actor", *actor_);
  read_module("actor_target", *actor_target_);
  read_module("critic_state", *critic_state_);
  read_module("critic_action", *critic_action_);
  read_module("critic_rest", *critic_rest_);
  read_module("critic_state_t", *critic_state_t_);
  read_module("critic_action_t", *critic_action_t_);
  read_module("critic_rest_t", *critic_rest_t_);
  torch::serialize::InputArchive actor_opt, critic_opt;
  archive.read("actor_opt", actor_opt);
  archive.read("critic_opt", critic_opt);
  actor_opt_->load(actor_opt);
  critic_opt_->load(critic_opt);
  torch::Tensor replay, counters, average;
  archive.read("replay", replay);
  archive.read("counters", counters);
  archive.read("moving_average", average);
  if (counters.numel() != 4 || counters[3].item<int64_t>() != capacity_ ||
      replay.numel() != int64_t(replay_.size())) {
    throw std::runtime_error("agent state has another replay capacity or state size");
  }
  std::copy(replay.data_ptr<float>(), replay.data_ptr<float>() + replay.numel(), replay_.begin());
  size_ = int(counters[0].item<int64_t>());
  next_ = int(counters[1].item<int64_t>());
  have_average_ = counters[2].item<int64_t>() != 0;
  moving_average_ = average.item<double>();
}

}  // namespace haqsim::search
