#pragma once
// The document of the comparison window: one dataset run (or two, to compare runs), the two
// groups being compared, and the two examples shown side by side. Views follow its signals
// (views/document_view.h).
#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>
#include <vector>

#include "dataset_results.h"
#include "run_types.h"
#include "value_meta_types.h"

namespace attnx {

// What one side of the comparison holds.
struct GroupSpec {
  enum class Source { Correct, Incorrect, All, FirstTokenCorrect, FirstTokenIncorrect, IdList };
  Source source = Source::Correct;
  int run = 0;      // 0: the first results, 1: the second (when loaded)
  QStringList ids;  // Source::IdList
  bool operator==(const GroupSpec&) const = default;
};

class DatasetDocument : public QObject {
  Q_OBJECT
 public:
  explicit DatasetDocument(QObject* parent = nullptr);

  // run 0 is the dataset being explored; run 1 an optional second run of the same examples.
  // Setting run 0 resets the groups to correct (A) vs incorrect (B); setting run 1 switches them
  // to "all of run 0" vs "all of run 1".
  void setResults(int run, std::shared_ptr<const DatasetResults> results, const QString& file = {});
  const DatasetResults* results(int run = 0) const;
  std::shared_ptr<const DatasetResults> sharedResults(int run = 0) const;
  QString resultsFile(int run = 0) const;
  int runCount() const;  // 0, 1 or 2

  void setGroups(const GroupSpec& a, const GroupSpec& b);
  const GroupSpec& groupSpec(int side) const;  // side 0: A, 1: B
  const GroupStats& group(int side) const;     // computed when the groups or results change
  QString groupName(int side) const;           // "correct (n = 33)", translated
  static QString sourceName(GroupSpec::Source source);  // "first token correct", translated
  static QString sourceKey(GroupSpec::Source source);   // "first_token_correct", for files
  static std::optional<GroupSpec::Source> sourceFromKey(const QString& key);  // nullopt: unknown
  // Examples of group `side`, as indices into results(groupSpec(side).run)->examples.
  const std::vector<int>& members(int side) const;

  // The shared selection of the comparison views.
  SegmentKind kind() const { return kind_; }  // the segment whose mass is compared (soft)
  void setKind(SegmentKind kind);
  int layer() const { return layer_; }  // model layer highlighted; -1: none
  void setLayer(int layer);
  // The examples side by side: (run, index into its examples), -1 when none.
  struct ExampleRef {
    int run = 0;
    int index = -1;
    bool operator==(const ExampleRef&) const = default;
  };
  const ExampleRef& shownExample(int slot) const { return shown_[slot]; }
  void setShownExample(int slot, ExampleRef ref);

 signals:
  void datasetChanged();    // results or groups changed
  void selectionChanged();  // layer, kind or shown examples moved
  void shownExampleChanged(int slot);

 private:
  void recompute();
  void notifyDataset();
  void notifySelection();

  std::shared_ptr<const DatasetResults> runs_[2];
  QString files_[2];
  GroupSpec specs_[2];
  GroupStats groups_[2];
  std::vector<int> members_[2];
  SegmentKind kind_ = SegmentKind::Soft;
  int layer_ = -1;
  ExampleRef shown_[2];
};

}  // namespace attnx
