// main.cpp: wiring only; everything lives in app/.
#include <iostream>  // POCO_SERVER_MAIN reports errors on std::cerr

#include "app/paymentd_app.h"

POCO_SERVER_MAIN(paymentd::app::PaymentdApp)
