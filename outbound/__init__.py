"""What leaves the clinic: letters (PDF) and FHIR bundles, and the client that posts them."""
