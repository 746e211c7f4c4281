// paymentd/export.h: symbol visibility for the SDK's exported entry points.
// Plugins are built with -fvisibility=hidden; only what this macro marks is public.
#pragma once

#define PAYMENTD_EXPORT __attribute__((visibility("default")))
