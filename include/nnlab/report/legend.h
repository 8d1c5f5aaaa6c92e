#pragma once
// Legends: a boxed legend inside a plot, put in the corner where it hides no data
// (beside the plot when every corner would hide some), and centred rows for the one
// legend a Grid shares among panels.

#include <string>
#include <vector>

#include "nnlab/report/axes.h"
#include "nnlab/report/svg.h"

namespace nnlab::report {

struct LegendEntry {
  // How the entry's sample is drawn, to match what it labels.
  enum class Kind { line, marker, line_marker, hollow_marker, square_marker, cross, box, band };
  std::string name{};
  std::string color{};
  Kind kind = Kind::line;
  std::string dash{};  // SVG dash array for lines
};

// Inside `plot`, in whichever corner (or top/bottom middle) covers the fewest
// points of `occupied`, the data as drawn in pixels. Draws nothing for no entries.
void draw_legend(Svg& svg, const std::vector<LegendEntry>& entries, const Box& plot,
                 const std::vector<std::vector<Point>>& occupied, const Fonts& fonts);

// Whether draw_legend finds a place inside `plot` that hides none of `occupied`; where it does
// not, a chart keeps room beside its plot (legend_width) and draws the legend there instead.
bool legend_fits_inside(const std::vector<LegendEntry>& entries, const Box& plot,
                        const std::vector<std::vector<Point>>& occupied, const Fonts& fonts);
double legend_width(const std::vector<LegendEntry>& entries, const Fonts& fonts);
// The boxed legend with its top left corner at `top_left`.
void draw_legend_at(Svg& svg, const std::vector<LegendEntry>& entries, Point top_left, const Fonts& fonts);

// Height of the entries laid out as centred rows across `width`.
double legend_rows_height(const std::vector<LegendEntry>& entries, double width, const Fonts& fonts);

// The entries as centred rows filling `area` from its top.
void draw_legend_rows(Svg& svg, const std::vector<LegendEntry>& entries, const Box& area, const Fonts& fonts);

// Appends the entries of `from` whose names `into` does not have yet.
void merge_legend(std::vector<LegendEntry>& into, const std::vector<LegendEntry>& from);

}  // namespace nnlab::report
