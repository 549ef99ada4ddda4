// HAQ's agent: DDPG (Lillicrap et al.) with one continuous action in [0, 1] per step.
//   actor  s -> 300 -> 300 -> 1 (sigmoid);  critic relu(W1 s + Wa a) -> 300 -> 1
//   target networks with soft updates (tau), replay buffer, Adam (lr 1e-4 actor, 1e-3 critic),
//   batch 64, discount 1, rewards normalized by a moving average (alpha 0.5);
//   exploration: uniform actions for the warm-up episodes, then a normal around the actor's
//   action truncated to [0, 1] with sigma = 0.5 x 0.99^(episode - warm-up).
// All randomness comes from the caller's generator (and torch's, seeded once for the initial
// weights), and save()/load() capture every piece of state, so a resumed search repeats an
// uninterrupted one exactly.
#pragma once

#include <torch/torch.h>

#include <iosfwd>
#include <random>
#include <vector>

namespace haqsim::search {

using Rng = std::mt19937_64;

struct DdpgOptions {
  int hidden = 300;
  double lr_actor = 1e-4;
  double lr_critic = 1e-3;
  int batch_size = 64;
  int replay_per_layer = 128;  // replay capacity = this x quantizable layers
  int warmup = 20;             // episodes of uniform random actions before learning
  double discount = 1.0;
  double tau = 0.01;
  double sigma = 0.5;  // initial exploration noise
  double sigma_decay = 0.99;
  double moving_alpha = 0.5;  // reward baseline update rate
  uint64_t seed = 1;
};

struct Transition {
  std::vector<float> state, next_state;
  float action = 0, reward = 0;
  bool terminal = false;
};

class DdpgAgent {
 public:
  DdpgAgent(int state_size, int capacity, DdpgOptions options);

  // The actor's action (no noise).
  double act(const std::vector<float>& state);
  // The action to take at `episode` (0-based): uniform during warm-up, then exploration noise.
  double explore(const std::vector<float>& state, int episode, Rng& rng);
  double sigma_at(int episode) const;
  bool learning(int episode) const { return episode >= options_.warmup; }

  void remember(const Transition& t);
  // One minibatch update of critic, actor and targets (no-op until a batch is available).
  void update(Rng& rng);

  double moving_average() const { return moving_average_; }
  int replay_size() const { return size_; }
  const DdpgOptions& options() const { return options_; }

  void save(std::ostream& out);
  void load(std::istream& in);

 private:
  int state_size_;
  int capacity_;
  DdpgOptions options_;
  torch::nn::Sequential actor_{nullptr}, actor_target_{nullptr};
  torch::nn::Linear critic_state_{nullptr}, critic_action_{nullptr};
  torch::nn::Sequential critic_rest_{nullptr};
  torch::nn::Linear critic_state_t_{nullptr}, critic_action_t_{nullptr};
  torch::nn::Sequential critic_rest_t_{nullptr};
  std::unique_ptr<torch::optim::Adam> actor_opt_, critic_opt_;
  // Replay as one row per transition: state, next_state, action, reward, terminal.
  std::vector<float> replay_;
  int size_ = 0, next_ = 0;
  double moving_average_ = 0;
  bool have_average_ = false;

  torch::Tensor critic(const torch::Tensor& s, const torch::Tensor& a, bool target);
  std::vector<torch::Tensor> critic_parameters(bool target);
  int row_size() const { return 2 * state_size_ + 3; }
};

// A sample of N(mean, sigma) truncated to [lo, hi] (rejection; clamps after many misses).
double truncated_normal(double mean, double sigma, double lo, double hi, Rng& rng);

}  // namespace haqsim::search
