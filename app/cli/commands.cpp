#include <cstdio>
#include <exception>
#include <iostream>

#include "args.h"
#include "cli.h"
#include "error.h"
#include "model.h"

namespace attnx::cli {
namespace {

// The input options of run, stats and figure (run_inputs.h).
#define ATTNX_INPUT_USAGE                                                                         \
  "  input: any non-empty combination of\n"                                                       \
  "    --soft-tokens FILE [--soft-index N] [--bos-after-soft]   soft prefix rows [M, d]; N "      \
  "picks\n"                                                                                       \
  "                                        one prefix of a file of several [N, M, d]\n"           \
  "    --anchor TEXT | --anchor-file FILE  after the soft tokens (and BOS)\n"                     \
  "    --prompt TEXT | --prompt-file FILE | --input-ids 1,2,3 | --input-ids @FILE\n"              \
  "                                        the prompt as text (UTF-8) or token ids (in FILE\n"    \
  "                                        separated by commas or white space)\n"                 \
  "    --prompt-pair TEXT                  encoders: the second sentence ([CLS] A [SEP] B "       \
  "[SEP])\n"                                                                                      \
  "    --token-type-ids 0,0,1,...          encoders: one type per position of the input\n"        \
  "  A prompt alone gets the tokenizer's special tokens, as Hugging Face adds them; after soft\n" \
  "  tokens or an anchor text is tokenized without them.\n"

const std::vector<Command> kCommands = {
    {"tokenize", &cmdTokenize, "tokenize text with a model's tokenizer.json, print ids as JSON",
     "usage: attnx tokenize --model DIR (--text TEXT [--text-pair TEXT2] | --jsonl FILE)\n"
     "                      [--no-special]\n"
     "  JSON on stdout: {\"ids\": [...], \"tokens\": [...]}; with --jsonl (one JSON string per\n"
     "  line) one such object per line, in order (empty lines skipped). Needs only the\n"
     "  tokenizer files in DIR.\n"
     "  --text-pair    a sentence pair through the tokenizer's pair template ([CLS] A [SEP] B\n"
     "                 [SEP]); adds \"token_type_ids\"\n"
     "  --no-special   without the tokenizer's special tokens (BOS, CLS/SEP); special tokens\n"
     "                 written in the text are still recognised\n"},
    {"run", &cmdRun, "run a model on an input, capture attention, write a .safetensors file",
     "usage: attnx run --model DIR INPUT [--capture full|last-row|rows:LIST|none|qk]\n"
     "                 [--logits query|all] [--layers 0,2,5] [--generate N]\n"
     "                 [--device auto|cpu|cuda] [--dtype float32|bfloat16|float16]\n"
     "                 [--threads N] [--value-norms] [--logit-lens [--query last|N]] [--rollout]\n"
     "                 [--knockout L:H:KEYS]... [--attention-block N] --out OUT.safetensors\n"
     "  --capture      full: every layer's [B,H,T,T] matrices; last-row: each batch row's last\n"
     "                 valid query; rows:3,9: those query rows; none; qk: the last row plus the\n"
     "                 post-RoPE queries and keys and each row's log-sum-exp, from which\n"
     "                 'attnx attention' recomputes any tile exactly. All but full run the\n"
     "                 memory-lean attention: no [T,T] tensor ever exists\n"
     "  --logits       query (default): the logits of the last valid position only; all: [B,T,V]\n"
     "  --attention-block  tile edge of the memory-lean attention (default 512)\n"
     "  --value-norms  value_norms.<layer> [B,H,T]: ||W_O,h v(x_j)||, the size of what each head\n"
     "                 takes from each key (weight x norm is the value-weighted attention)\n"
     "  --logit-lens   logit_lens [B,L+1,V]: log-probabilities of every layer's residual at the\n"
     "                 query row (default the last), through the final norm and the LM head\n"
     "  --rollout      rollout [B,T,T]: attention rollout (mean over heads plus identity,\n"
     "                 multiplied over layers; designed for encoders)\n"
     "  --knockout     remove heads' attention to keys before the softmax (repeatable): L and H\n"
     "                 a number or all, KEYS soft|bos|anchor|text|special or positions a-b;\n"
     "                 logits and attentions are then those of the modified "
     "run\n" ATTNX_INPUT_USAGE},
    {"stats", &cmdStats, "attention mass per segment, layer and head of one query, as JSON or CSV",
     "usage: attnx stats --model DIR INPUT [--query last|N] [--format json|csv]\n"
     "                   [--device auto|cpu|cuda] [--dtype D] [--threads N] --out FILE\n"
     "  Statistics of one query position (default: the last, which predicts the first generated\n"
     "  token), capturing only that row.\n" ATTNX_INPUT_USAGE},
    {"scan", &cmdScan, "the causal head grid: each head's knockout effect on the prediction",
     "usage: attnx scan --model DIR INPUT --keys KEYS [--target argmax|ID] [--query last|N]\n"
     "                  [--device auto|cpu|cuda] [--dtype D] [--threads N] --out FILE.json\n"
     "  For every layer l and head h: log p(target | knockout l:h:KEYS) - log p(target) at the\n"
     "  query row, as {\"target\", \"base_logprob\", \"keys\", \"delta\": [L rows of H]}. The\n"
     "  target is the unmodified run's argmax unless given. Layers before l are computed "
     "once.\n" ATTNX_INPUT_USAGE},
    {"attention", &cmdAttention, "one exact tile of a head's attention from a run file",
     "usage: attnx attention --run RUN.safetensors --layer L --head H --rows a-b [--cols c-d]\n"
     "                       [--batch B] --out TILE.safetensors\n"
     "  Tensor \"attention\" F32 [rows, cols] (cols default: every key): read from the matrices\n"
     "  the run stored, or recomputed exactly from its queries, keys and log-sum-exps\n"
     "  (attnx run --capture qk) as exp(q_i . k_j / sqrt(D) - lse_i).\n"},
    {"plan", &cmdPlan, "predict a run's peak memory, by part, before running it",
     "usage: attnx plan --model DIR --tokens T [--capture full|last-row|rows:LIST|none|qk]\n"
     "                  [--dtype D] [--device cpu|cuda[:N]] [--generate N] [--logits query|all]\n"
     "                  [--batch B]\n"
     "  JSON on stdout: \"peak_bytes\" and its parts (weights, activations, workspace, capture,\n"
     "  logits, cache, runtime), from config.json alone. A plan larger than the device's\n"
     "  memory exits 1 naming the bytes and the capture policies that would fit.\n"},
    {"import", &cmdImport, "turn attention saved by Python (torch.save, NumPy) into a run file",
     "usage: attnx import --attentions FILE [--tokens TOKENS.json]\n"
     "                    [--layout soft:M,bos:1,anchor:N,text:K] --out RUN.safetensors\n"
     "  FILE: torch.save of outputs.attentions (a tuple of [B,H,T,T] or [H,T,T] per layer), or\n"
     "  of a dict with \"attentions\" and optionally \"input_ids\", \"tokens\", \"layout\";\n"
     "  NumPy .npz (attentions.<l> or arr_<l>) or .npy ([L,B,H,T,T] or [L,H,T,T]);\n"
     "  safetensors with attentions.<l>. B must be 1. The layout (default: all text) must\n"
     "  cover T; every row must sum to 1. Nothing is written when anything is wrong.\n"},
    {"figure", nullptr, "export a view (heatmap, layers, grid) as PNG, PDF or SVG (attnx only)",
     "usage: attnx figure --model DIR INPUT --view heatmap|layers|grid [--layer L]\n"
     "         [--head H|mean|max] [--query last|N] [--style paper|slide] [--width-in W]\n"
     "         [--dpi 300] [--aspect H/W] [--colormap viridis|magma|cividis|grays]\n"
     "         [--scale linear|log|power[:GAMMA]] [--range 0..1|0..X|auto]\n"
     "         [--panels heads:LIST|layers:LIST] [--columns N] [--mark-layer] [--mark-query]\n"
     "         [--compare-without-soft | --compare-soft-tokens FILE2]\n"
     "         [--cells soft|bos|anchor|text|special|generated] [--zoom all|prefix]\n"
     "         [--device auto|cpu|cuda] [--threads N] [--format png|pdf|svg] --out FILE\n"
     "\n"
     "  --width-in     the figure's width: 3.25 (one journal column) by default, 10 with\n"
     "                 --style slide; 6.75 for two columns\n"
     "  --colormap     colours of the heatmap and of the grid's cells\n"
     "  --scale        heatmap colours: linear (default), log (shows small weights down to\n"
     "                 1e-4) or a power curve (gamma 0.5 by default; below 1 lifts small ones)\n"
     "  --range        heatmap colour range: 0..1 (default), 0..X, or auto: 0 to the largest\n"
     "                 weight shown, shared by every panel so colours compare; rows with a\n"
     "                 single allowed key (position 0's weight 1 on itself) are left out\n"
     "  --mark-layer   draw the selected layer (--layer): the curves' dashed line, the grid's\n"
     "                 outlined row (or cell with --head H); figures show no selection\n"
     "                 otherwise\n"
     "  --mark-query   outline the --query row in the heatmap\n"
     "  --panels       one heatmap per head of --layer (heads:0,1,2,3 / heads:0-3 / heads:all)\n"
     "                 or per layer at --head (layers:0-3 / layers:all), laid out in a grid\n"
     "                 with captions (a), (b), ...\n"
     "  --columns      columns of the panel grid (default: 2 in one journal column, up to 4\n"
     "                 when --width-in is 5 or more)\n"
     "  --compare-without-soft\n"
     "                 also run the same input without its soft tokens (an explicit BOS stays;\n"
     "                 --query N follows the same token): the layer curves of both runs in one\n"
     "                 plot (second run dashed); heatmaps and grids of both runs and their\n"
     "                 difference, side by side when --width-in is 5 or more (heatmaps one\n"
     "                 above the other otherwise, grids always in a row)\n"
     "  --compare-soft-tokens FILE2\n"
     "                 the same, with the soft tokens of FILE2 (same --soft-index) in the\n"
     "                 second run\n"
     "  --cells        the grid's cells: attention mass to this kind of token (soft; with\n"
     "                 --compare-without-soft the anchor, or text without an anchor)\n"
     "  --zoom prefix  a heatmap of the soft tokens, BOS and anchor only\n"
     "  --aspect       height / width of the whole figure (default: the view's own aspect)\n"
     "  The manifest FILE.json (also embedded in the file) records the model, input, runs,\n"
     "  panels, colour map and scale. Needs the attnx executable (Qt draws the "
     "figure).\n" ATTNX_INPUT_USAGE},
    {"analyze", &cmdAnalyzeWithoutFigures,
     "run a model over an examples file (JSONL): attention of correct vs incorrect examples",
     "usage: attnx analyze --model DIR --examples FILE.jsonl [--soft-tokens FILE]\n"
     "                     [--no-soft-tokens] [--anchor TEXT] [--bos-after-soft]\n"
     "                     [--prediction-field NAME] [--query last|N]\n"
     "                     [--correctness em|f1|first-token] [--f1-threshold 0.5]\n"
     "                     [--max-new-tokens 16] [--restart] [--device auto|cpu|cuda]\n"
     "                     [--dtype D] [--threads N] [--shard K/N] --out DIR\n"
     "  Writes DIR/stats.json (after every example) and DIR/summary.csv; the attnx executable\n"
     "  also draws DIR/layers_by_group.{pdf,png} and DIR/grid_difference.{pdf,png}. Ctrl+C\n"
     "  stops keeping the finished examples; the same command continues (--restart starts\n"
     "  over). Examples with soft_index need --soft-tokens, or --no-soft-tokens to run them\n"
     "  without their prefixes on purpose. --shard K/N runs only the K-th of N contiguous\n"
     "  blocks of the examples (examples floor((K-1)n/N) to floor(Kn/N)-1 of n), into its own\n"
     "  DIR; 'attnx merge' joins the N folders.\n"},
    {"merge", &cmdMerge, "join the shards of an 'attnx analyze --shard K/N' run into one",
     "usage: attnx merge --out DIR SHARD_DIR...\n"
     "  Writes DIR/stats.json and DIR/summary.csv (and, with attnx, the figures) equal to the\n"
     "  unsharded run's: the same examples in the same order, the same group statistics. The\n"
     "  shards must be 1..N of the same N, each once and complete, made with the same settings\n"
     "  and model.\n"},
};

#undef ATTNX_INPUT_USAGE

bool wantsHelp(const std::vector<std::string>& args) {
  for (const auto& a : args)
    if (a == "--help" || a == "-h") return true;
  return false;
}

}  // namespace

const std::vector<Command>& commands() { return kCommands; }

bool isCliCommand(const std::string& name) {
  for (const auto& c : kCommands)
    if (name == c.name) return true;
  return false;
}

std::string commandNames() {
  std::string out;
  for (const auto& c : kCommands) out += (out.empty() ? "" : ", ") + std::string(c.name);
  return out;
}

std::string versionText() {
  return std::string("attnx ") + ATTNX_VERSION + "\n" + runtimeDescription();
}

std::string helpText() {
  std::string out =
      "Usage: attnx                      open the explorer window on the built-in demo\n"
      "       attnx MODEL_DIR            open the explorer window on a model folder\n"
      "       attnx --demo --screenshot FILE.png\n"
      "                                  render the window on the demo (1600 x 1000) and exit\n"
      "       attnx SUBCOMMAND [OPTIONS]  run a command without a window\n"
      "       attnx SUBCOMMAND --help     the options of a subcommand\n"
      "       attnx --version | --help\n\nSubcommands:\n";
  for (const auto& c : kCommands) out += std::string("  ") + c.name + "\t" + c.summary + "\n";
  out += "\nSee README.md for the file formats.\n";
  return out;
}

int run(const std::vector<std::string>& argv, const std::map<std::string, CommandFn>& withQt) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h") {
    std::cout << helpText();
    return argv.empty() ? 2 : 0;
  }
  if (argv[0] == "--version") {
    std::cout << versionText();
    return 0;
  }
  for (const auto& c : kCommands) {
    if (argv[0] != c.name) continue;
    std::vector<std::string> rest(argv.begin() + 1, argv.end());
    if (wantsHelp(rest)) {
      std::cout << c.usage;
      return 0;
    }
    const auto qt = withQt.find(c.name);
    const CommandFn fn = qt != withQt.end() ? qt->second : c.fn;
    if (!fn) {
      std::cerr << "attnx " << c.name << ": this command draws with Qt; run it with the attnx "
                << "executable (attnx-cli has the commands that need no Qt)\n";
      return 2;
    }
    try {
      return fn(rest);
    } catch (const UsageError& e) {
      std::cerr << "attnx " << c.name << ": " << e.what() << " (see attnx " << c.name
                << " --help)\n";
      return 2;
    } catch (const std::bad_alloc&) {
      std::cerr << "attnx " << c.name << ": out of memory\n";
      return 1;
    } catch (const std::exception& e) {
      std::cerr << "attnx " << c.name << ": " << e.what() << "\n";
      return 1;
    }
  }
  std::cerr << "attnx: unknown subcommand '" << argv[0] << "'; subcommands: " << commandNames()
            << " (see attnx --help)\n";
  return 2;
}

}  // namespace attnx::cli
