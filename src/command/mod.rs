//! Commands: one file per `tribune` command, each composing the stages it needs and printing
//! what it did.
