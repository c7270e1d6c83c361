# A unit whose page is unknown (warning layer).
# expect: Warning shapes:UnitPageKnownShape-url sh:MinCountConstraintComponent id:unit/kita-division
PREFIX schema: <https://schema.org/>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX vocab: <https://w3id.org/seirei/vocab/>
PREFIX id: <https://w3id.org/seirei/id/>
DELETE DATA { <https://w3id.org/seirei/id/unit/kita-division> schema:url <https://www.city.kita.example.org/somu/kokusai/> }
