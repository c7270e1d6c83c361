# A unit with a page and a Japanese name but no citation of where they come from.
# expect: Violation shapes:SourcedUnitShape sh:OrConstraintComponent id:unit/kita-bureau
PREFIX schema: <https://schema.org/>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX vocab: <https://w3id.org/seirei/vocab/>
PREFIX id: <https://w3id.org/seirei/id/>
DELETE DATA { <https://w3id.org/seirei/id/unit/kita-bureau> seirei:sourceCitation "https://www.city.kita.example.org/somu/" ;
    seirei:verificationStatus <https://w3id.org/seirei/vocab/verification-status/verified> }
