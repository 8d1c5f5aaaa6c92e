#pragma once
// The lab's page, built into the program: the files of lab/web, turned into byte arrays at build
// time (cmake/embed_files.cmake writes web_assets.cpp in the build folder), so that nnlab lab
// needs no file at run time.

#include <span>
#include <string_view>

namespace nnlab::lab {

struct WebAsset {
  std::string_view path;  // "index.html", "js/app.js", "vendor/uplot.iife.min.js"
  std::string_view bytes;
};

std::span<const WebAsset> web_assets();
// Null when there is no such file.
const WebAsset* find_web_asset(std::string_view path);
// "text/html; charset=utf-8", ... by the path's extension.
std::string_view content_type_for(std::string_view path);

}  // namespace nnlab::lab
