enum PostgresSupportPlaceholder {}
