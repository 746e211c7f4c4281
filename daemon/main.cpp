// main.cpp: wiring only; everything lives in app/.
#include "app/paymentd_app.h"

int main(int argc, char** argv) {
  return paymentd::app::PaymentdApp::runMain(argc, argv);
}
