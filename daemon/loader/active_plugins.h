// loader/active_plugins.h: the plugin set requests use now, swapped whole on reload.
//
// A request takes current() once and keeps that shared_ptr for its whole run,
// so it finishes on the set it started with even if a reload swaps in another.
// The old set, and the libraries behind it, are released when the last such
// request ends.
#pragma once

#include "config/live.h"
#include "loader/plugin_set.h"

namespace paymentd::loader {

using ActivePlugins = config::Live<PluginSet>;

}  // namespace paymentd::loader
