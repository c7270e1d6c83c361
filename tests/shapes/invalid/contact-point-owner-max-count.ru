# A contact route published by two owners.
# expect: Violation shapes:ContactPointShape-owner sh:MaxCountConstraintComponent id:contact-point/kita-division-telephone
PREFIX schema: <https://schema.org/>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX vocab: <https://w3id.org/seirei/vocab/>
PREFIX id: <https://w3id.org/seirei/id/>
INSERT DATA { <https://w3id.org/seirei/id/organization/kita-association> schema:contactPoint <https://w3id.org/seirei/id/contact-point/kita-division-telephone> }
