// A shared library that is not a paymentd plugin: it exports no descriptor.
extern "C" __attribute__((visibility("default"))) int some_other_library_function() {
  return 42;
}
