// Firm-type behaviour: being written.
