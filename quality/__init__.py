"""`make quality`: reading quality measured on the dev set through the workers' activities."""
