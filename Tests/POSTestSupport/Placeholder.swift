enum POSTestSupportPlaceholder {}
