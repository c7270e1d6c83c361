# A contact route without its verification status.
# expect: Violation shapes:ContactPointShape-status sh:MinCountConstraintComponent id:contact-point/kita-division-telephone
PREFIX schema: <https://schema.org/>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX vocab: <https://w3id.org/seirei/vocab/>
PREFIX id: <https://w3id.org/seirei/id/>
DELETE DATA { <https://w3id.org/seirei/id/contact-point/kita-division-telephone> seirei:verificationStatus <https://w3id.org/seirei/vocab/verification-status/verified> }
