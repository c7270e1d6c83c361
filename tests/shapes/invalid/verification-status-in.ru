# A resource published with the status unverified.
# expect: Violation shapes:VerificationShape-status sh:InConstraintComponent id:prefecture/minami
PREFIX seirei: <https://w3id.org/seirei/ontology#>
DELETE { <https://w3id.org/seirei/id/prefecture/minami> seirei:verificationStatus <https://w3id.org/seirei/vocab/verification-status/verified> }
INSERT { <https://w3id.org/seirei/id/prefecture/minami> seirei:verificationStatus <https://w3id.org/seirei/vocab/verification-status/unverified> }
WHERE { <https://w3id.org/seirei/id/prefecture/minami> seirei:verificationStatus <https://w3id.org/seirei/vocab/verification-status/verified> }
