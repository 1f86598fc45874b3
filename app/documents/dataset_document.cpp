#include "dataset_document.h"

#include <QDebug>
#include <iterator>
#include <QSet>
#include <algorithm>
#include <numeric>

#include "error.h"

namespace attnx {

namespace {

// The examples of `results` that `spec` selects, as indices in file order.
std::vector<int> selectMembers(const DatasetResults& results, const GroupSpec& spec) {
  const auto& ex = results.examples;
  std::vector<int> out;
  switch (spec.source) {
    case GroupSpec::Source::Correct:
      return correctMembers(ex, true);
    case GroupSpec::Source::Incorrect:
      return correctMembers(ex, false);
    case GroupSpec::Source::All:
      out.resize(ex.size());
      std::iota(out.begin(), out.end(), 0);
      return out;
    case GroupSpec::Source::FirstTokenCorrect:
    case GroupSpec::Source::FirstTokenIncorrect: {
      // Examples without a gold answer have no first-token verdict and belong to neither side.
      const bool want = spec.source == GroupSpec::Source::FirstTokenCorrect;
      for (int i = 0; i < static_cast<int>(ex.size()); ++i)
        if (ex[i].firstTokenCorrect && *ex[i].firstTokenCorrect == want) out.push_back(i);
      return out;
    }
    case GroupSpec::Source::IdList: {
      QSet<QString> wanted;
      for (const auto& id : spec.ids) wanted.insert(id);
      for (int i = 0; i < static_cast<int>(ex.size()); ++i)
        if (wanted.contains(QString::fromStdString(ex[i].id))) out.push_back(i);
      return out;
    }
  }
  return out;
}

}  // namespace

DatasetDocument::DatasetDocument(QObject* parent) : QObject(parent) {
  specs_[0].source = GroupSpec::Source::Correct;
  specs_[1].source = GroupSpec::Source::Incorrect;
}

void DatasetDocument::setResults(int run, std::shared_ptr<const DatasetResults> results,
                                 const QString& file) {
  if (run < 0 || run > 1) return;
  runs_[run] = std::move(results);
  files_[run] = runs_[run] ? file : QString();
  GroupSpec a, b;
  if (run == 0) {
    // A new first run makes a second run of other examples meaningless: it is dropped.
    runs_[1].reset();
    files_[1].clear();
    a.source = GroupSpec::Source::Correct;
    b.source = GroupSpec::Source::Incorrect;
  } else if (runs_[1]) {
    a.source = b.source = GroupSpec::Source::All;
    a.run = 0;
    b.run = 1;
  } else {
    // The second run was removed: back to the default comparison within the first.
    a.source = GroupSpec::Source::Correct;
    b.source = GroupSpec::Source::Incorrect;
  }
  specs_[0] = a;
  specs_[1] = b;
  // Shown examples of a replaced run point at examples that may no longer exist.
  bool shownChanged[2] = {false, false};
  for (int slot = 0; slot < 2; ++slot) {
    if (shown_[slot].index >= 0 && (shown_[slot].run == run || run == 0)) {
      shown_[slot] = {};
      shownChanged[slot] = true;
    }
  }
  if (layer_ >= 0 && runs_[0] && layer_ >= runs_[0]->model.layers) layer_ = -1;
  recompute();
  notifyDataset();
  for (int slot = 0; slot < 2; ++slot)
    if (shownChanged[slot]) emit shownExampleChanged(slot);
  if (shownChanged[0] || shownChanged[1]) notifySelection();
}

const DatasetResults* DatasetDocument::results(int run) const {
  return run >= 0 && run < 2 ? runs_[run].get() : nullptr;
}

std::shared_ptr<const DatasetResults> DatasetDocument::sharedResults(int run) const {
  return run >= 0 && run < 2 ? runs_[run] : nullptr;
}

QString DatasetDocument::resultsFile(int run) const {
  return run >= 0 && run < 2 ? files_[run] : QString();
}

int DatasetDocument::runCount() const { return runs_[1] ? 2 : (runs_[0] ? 1 : 0); }

void DatasetDocument::setGroups(const GroupSpec& a, const GroupSpec& b) {
  specs_[0] = a;
  specs_[1] = b;
  for (auto& s : specs_) s.run = std::clamp(s.run, 0, 1);
  recompute();
  notifyDataset();
}

const GroupSpec& DatasetDocument::groupSpec(int side) const { return specs_[side ? 1 : 0]; }

const GroupStats& DatasetDocument::group(int side) const { return groups_[side ? 1 : 0]; }

const std::vector<int>& DatasetDocument::members(int side) const { return members_[side ? 1 : 0]; }

namespace {

// Each group source by enum order: its stable key (figure manifests) and its display text.
struct SourceNames {
  const char* key;
  const char* text;
};
constexpr SourceNames kSourceNames[] = {
    {"correct", QT_TRANSLATE_NOOP("attnx::DatasetDocument", "correct")},
    {"incorrect", QT_TRANSLATE_NOOP("attnx::DatasetDocument", "incorrect")},
    {"all", QT_TRANSLATE_NOOP("attnx::DatasetDocument", "all")},
    {"first_token_correct", QT_TRANSLATE_NOOP("attnx::DatasetDocument", "first token correct")},
    {"first_token_incorrect", QT_TRANSLATE_NOOP("attnx::DatasetDocument", "first token incorrect")},
    {"ids", QT_TRANSLATE_NOOP("attnx::DatasetDocument", "chosen examples")},
};
static_assert(std::size(kSourceNames) == static_cast<std::size_t>(GroupSpec::Source::IdList) + 1);

const SourceNames& namesOf(GroupSpec::Source source) {
  return kSourceNames[static_cast<std::size_t>(source)];
}

}  // namespace

QString DatasetDocument::sourceName(GroupSpec::Source source) { return tr(namesOf(source).text); }

QString DatasetDocument::sourceKey(GroupSpec::Source source) {
  return QString::fromLatin1(namesOf(source).key);
}

std::optional<GroupSpec::Source> DatasetDocument::sourceFromKey(const QString& key) {
  for (std::size_t i = 0; i < std::size(kSourceNames); ++i)
    if (key == QLatin1String(kSourceNames[i].key)) return static_cast<GroupSpec::Source>(i);
  return std::nullopt;
}

QString DatasetDocument::groupName(int side) const {
  const GroupSpec& spec = groupSpec(side);
  QString name = sourceName(spec.source);
  // With two runs loaded the same filter exists on both: say which run the group comes from.
  if (runCount() == 2) name = tr("%1, run %2").arg(name).arg(spec.run + 1);
  return tr("%1 (n = %2)").arg(name).arg(members(side).size());
}

void DatasetDocument::setKind(SegmentKind kind) {
  if (kind == kind_) return;
  kind_ = kind;
  notifySelection();
}

void DatasetDocument::setLayer(int layer) {
  const int layers = runs_[0] ? runs_[0]->model.layers : 0;
  if (layer < 0 || (layers > 0 && layer >= layers)) layer = -1;
  if (layer == layer_) return;
  layer_ = layer;
  notifySelection();
}

void DatasetDocument::setShownExample(int slot, ExampleRef ref) {
  if (slot < 0 || slot > 1) return;
  const DatasetResults* r = results(ref.run);
  if (!r || ref.index < 0 || ref.index >= static_cast<int>(r->examples.size())) ref = {};
  if (ref == shown_[slot]) return;
  shown_[slot] = ref;
  emit shownExampleChanged(slot);
  notifySelection();
}

void DatasetDocument::recompute() {
  for (int side = 0; side < 2; ++side) {
    const GroupSpec& spec = specs_[side];
    members_[side].clear();
    groups_[side] = GroupStats{};
    const DatasetResults* r = results(spec.run);
    if (r) members_[side] = selectMembers(*r, spec);
    const std::string name = groupName(side).toStdString();
    if (!r) {
      groups_[side].name = name;
      continue;
    }
    try {
      groups_[side] = computeGroup(r->examples, members_[side], name);
    } catch (const Error& e) {
      // Examples of differing shapes (a hand-edited file): the group keeps its members, but has
      // no statistics to draw.
      qWarning().noquote() << "attnx:" << e.what();  // names the group and the examples
      groups_[side] = GroupStats{};
      groups_[side].name = name;
      groups_[side].members = members_[side];
    }
  }
}

void DatasetDocument::notifyDataset() { emit datasetChanged(); }

void DatasetDocument::notifySelection() { emit selectionChanged(); }

}  // namespace attnx
