#pragma once
// One function per command of n2n-route; each returns the exit code.
#include "options.hpp"

namespace n2nkit::routetool {

int run_add(const Options& o);
int run_del(const Options& o);
int run_supernode_route(const Options& o);
int run_list(const Options& o);
int run_gateway_enable(const Options& o);
int run_gateway_disable(const Options& o);
int run_undo(const Options& o);
int run_follow(const Options& o);  // the reference's form

}  // namespace n2nkit::routetool
