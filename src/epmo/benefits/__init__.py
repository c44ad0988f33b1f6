"""Benefits register: planned and realised benefits per project and programme, their
schedule, actuals and roll-ups."""
