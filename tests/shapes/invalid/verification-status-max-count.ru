# A resource with two verification statuses.
# expect: Violation shapes:VerificationShape-status sh:MaxCountConstraintComponent id:prefecture/minami
PREFIX seirei: <https://w3id.org/seirei/ontology#>
INSERT DATA {
    <https://w3id.org/seirei/id/prefecture/minami> seirei:verificationStatus <https://w3id.org/seirei/vocab/verification-status/partial> .
}
